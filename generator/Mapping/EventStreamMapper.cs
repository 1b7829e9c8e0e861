using System.Collections.Generic;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Marks the unions that describe <c>text/event-stream</c> responses so that they can be read from
/// server-sent events: each variant is an object whose single-valued discriminator (the
/// <c>event</c> member) is the SSE event name and whose <c>data</c> member is the payload. A variant
/// whose <c>data</c> is a constant (OpenAI's <c>done</c> with <c>[DONE]</c>) ends the stream.
/// A union none of whose variants is such an envelope is read from each event's data instead.
/// </summary>
internal static class EventStreamMapper
{
    public static List<OperationModel> Apply(MappingContext context, List<OperationModel> operations)
    {
        var result = new List<OperationModel>(operations.Count);
        foreach (OperationModel operation in operations)
        {
            if (operation.Stream is { EventType: { Kind: TypeKind.Union } events } stream
                && context.Types.FindIndex(t => t is UnionModel && t.Name == events.Name) is var index and >= 0)
            {
                UnionModel union = MarkEvents(context, (UnionModel)context.Types[index]);
                if (!union.Variants.Any(v => v.EventData is not null && v.DiscriminatorValue is not null))
                {
                    // No variant is an {event, data} envelope: each event's data is a whole union
                    // value (OpenAI's Responses stream, discriminated by its own `type`).
                    result.Add(operation);
                    continue;
                }

                context.Types[index] = union;
                bool hasEnd = union.Variants.Any(v => v.EventData is { IsEndOfStream: true });
                result.Add(operation with { Stream = stream with { HasEndEvent = hasEnd, ByEventName = true } });
            }
            else
            {
                result.Add(operation);
            }
        }

        return result;
    }

    /// <summary>
    /// Marks the bodies whose <c>stream</c> member a streaming method sends as true (see
    /// <see cref="ObjectModel.StreamFlag"/>).
    /// </summary>
    public static void MarkStreamFlags(MappingContext context, List<OperationModel> operations)
    {
        foreach (OperationModel operation in operations)
        {
            if (operation.Stream?.StreamFlagProperty is { } flag
                && operation.Body?.Type is { Kind: TypeKind.Object } body
                && context.Types.FindIndex(t => t is ObjectModel && t.Name == body.Name) is var index and >= 0)
            {
                var model = (ObjectModel)context.Types[index];
                context.Types[index] = model with { StreamFlag = model.Properties.First(p => p.Name == flag).JsonName };
            }
        }
    }

    private static UnionModel MarkEvents(MappingContext context, UnionModel union)
    {
        if (union.IsEventStream)
        {
            return union;
        }

        var variants = new List<VariantModel>(union.Variants.Count);
        foreach (VariantModel variant in union.Variants)
        {
            ObjectModel? envelope = variant.Type.Kind == TypeKind.Object ? context.Types.OfType<ObjectModel>().FirstOrDefault(t => t.Name == variant.Type.Name) : null;
            PropertyModel? data = envelope?.Properties.FirstOrDefault(p => p.JsonName == "data");
            PropertyModel? name = envelope?.Properties.FirstOrDefault(p => p.JsonName == union.DiscriminatorProperty && p.ConstValue is null);

            // The variant is built from the event alone: its data, and its event name unless that is
            // a constant the type sets itself. Any other member it must have rules it out.
            bool buildable = envelope is not null && data is not null
                && envelope.Properties.All(p => p == data || p == name || p.ConstValue is not null || !p.Required || p.Type.Nullable);
            variants.Add(!buildable ? variant : variant with
            {
                EventData = new EventDataModel(data!.Name, data.Type, IsEndOfStream: data.ConstValue is not null)
                {
                    EventNameProperty = name is { Required: true, Type: { Kind: TypeKind.String, Nullable: false } } ? name.Name : null,
                },
            });
        }

        return union with { IsEventStream = true, Variants = variants.ToEquatableArray() };
    }
}
