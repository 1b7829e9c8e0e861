using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Microsoft.OpenApi;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// What the streaming operations of a document make of its schemas, found before any type is
/// built, so that <see cref="SchemaMapper"/> builds each type once, as it will be emitted:
/// <list type="bullet">
/// <item><description>The event schema of a <c>text/event-stream</c> response is a union that can be read
/// from server-sent events when its variants are <c>{event, data}</c> envelopes: each variant's
/// single-valued discriminator (the <c>event</c> member) is the SSE event name, its <c>data</c>
/// member the payload, and a variant whose <c>data</c> is a constant (OpenAI's <c>done</c> with
/// <c>[DONE]</c>) ends the stream. A union none of whose variants is such an envelope is read from
/// each event's data instead.</description></item>
/// <item><description>The body of such an operation (JSON, a form, multipart) may have a boolean <c>stream</c> member that the
/// streaming method sends as true (see <see cref="ObjectModel.StreamFlag"/>).</description></item>
/// </list>
/// </summary>
internal sealed class EventStreamMapper
{
    /// <summary>OpenAI's convention for a body member that asks for events.</summary>
    public const string StreamFlagMember = "stream";

    private readonly HashSet<IOpenApiSchema> _eventSchemas = new(IdentityComparer.Instance);
    private readonly HashSet<IOpenApiSchema> _streamingBodies = new(IdentityComparer.Instance);

    private EventStreamMapper()
    {
    }

    /// <summary>The event schemas and streaming bodies of every operation, by the schema object each is (a reference's target).</summary>
    public static EventStreamMapper Find(OpenApiDocument document)
    {
        var found = new EventStreamMapper();
        foreach (IOpenApiPathItem pathItem in document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>())
        {
            foreach (OpenApiOperation operation in pathItem.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                IDictionary<string, IOpenApiMediaType>? content = OperationMapper.SuccessResponses(operation).FirstOrDefault(s => s.Response.Content is { Count: > 0 }).Response?.Content;
                IOpenApiSchema? events = content?.FirstOrDefault(m => m.Key.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)).Value?.Schema;
                if (events is null)
                {
                    continue;
                }

                found._eventSchemas.Add(Target(events));
                if (OperationMapper.PreferredMedia(operation.RequestBody?.Content) is { Media.Schema: { } body })
                {
                    found._streamingBodies.Add(Target(body));
                }
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="schema"/> (a reference's target) is the JSON body of a streaming operation.</summary>
    public bool IsStreamingBody(IOpenApiSchema schema) => _streamingBodies.Contains(schema);

    /// <summary>
    /// <paramref name="union"/> made readable from server-sent events when <paramref name="schema"/>
    /// (a reference's target) is an event schema and some variant is an envelope; else the union as it is.
    /// </summary>
    /// <param name="types">The types built so far, the union's variants among them.</param>
    public UnionModel Apply(IOpenApiSchema schema, UnionModel union, TypeList types)
    {
        if (!_eventSchemas.Contains(schema))
        {
            return union;
        }

        var variants = new List<VariantModel>(union.Variants.Count);
        foreach (VariantModel variant in union.Variants)
        {
            ObjectModel? envelope = variant.Type.Kind == TypeKind.Object ? types.Named<ObjectModel>(variant.Type.Name) : null;
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
                    // A string enum takes the name too (it converts from a string): a required one
                    // left unset would not compile (CS9035), and the name is its value.
                    EventNameProperty = name is { Required: true, Type: { Kind: TypeKind.String or TypeKind.Enum, Nullable: false } } ? name.Name : null,
                },
            });
        }

        // No variant is an {event, data} envelope: each event's data is a whole union value
        // (OpenAI's Responses stream, discriminated by its own `type`).
        return variants.Any(v => v.EventData is not null && v.DiscriminatorValue is not null)
            ? union with { IsEventStream = true, Variants = variants.ToEquatableArray() }
            : union;
    }

    /// <summary>The stream of an operation whose events are <paramref name="eventType"/>: by event name when its union is made of envelopes.</summary>
    public static StreamModel Stream(TypeRef eventType, string? streamFlagProperty, TypeList types) =>
        eventType.Kind == TypeKind.Union && types.Named<UnionModel>(eventType.Name) is { IsEventStream: true } union
            ? new StreamModel(eventType, streamFlagProperty, HasEndEvent: union.Variants.Any(v => v.EventData is { IsEndOfStream: true })) { ByEventName = true }
            : new StreamModel(eventType, streamFlagProperty, HasEndEvent: false);

    private static IOpenApiSchema Target(IOpenApiSchema schema) => schema is OpenApiSchemaReference { Target: { } target } ? target : schema;
}
