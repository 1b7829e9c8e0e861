using System.Linq;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Puts the descriptions and summaries back into a model mapped from a document whose prose was
/// tokens (<see cref="Prose"/>): into every member of the model that carries documentation, and
/// into the diagnostics. A test walks every model of the corpus afterwards and finds no token left.
/// </summary>
internal static class ProseFill
{
    public static ParseResult Fill(ParseResult result, EquatableArray<string> texts)
    {
        if (texts.Count == 0)
        {
            return result;
        }

        return result with
        {
            Model = result.Model is { } model ? Fill(model, texts) : null,
            Diagnostics = result.Diagnostics.Select(d => d with { Detail = Prose.Fill(d.Detail, texts)! }).ToEquatableArray(),
        };
    }

    private static ApiModel Fill(ApiModel model, EquatableArray<string> texts) => model with
    {
        Types = model.Types.Select(type => Fill(type, texts)).ToEquatableArray(),
        Client = Fill(model.Client, texts),
    };

    private static TypeModel Fill(TypeModel type, EquatableArray<string> texts) => type switch
    {
        ObjectModel model => model with
        {
            Description = Prose.Fill(model.Description, texts),
            Properties = model.Properties.Select(p => p with { Description = Prose.Fill(p.Description, texts) }).ToEquatableArray(),
        },
        EnumModel model => model with
        {
            Description = Prose.Fill(model.Description, texts),
            Values = Fill(model.Values, texts),
        },
        NamedValuesModel model => model with
        {
            Description = Prose.Fill(model.Description, texts),
            Values = Fill(model.Values, texts),
        },
        UnionModel model => model with
        {
            Description = Prose.Fill(model.Description, texts),
            Variants = model.Variants.Select(v => v with { Description = Prose.Fill(v.Description, texts) }).ToEquatableArray(),
        },
        _ => type with { Description = Prose.Fill(type.Description, texts) },
    };

    private static EquatableArray<EnumValueModel> Fill(EquatableArray<EnumValueModel> values, EquatableArray<string> texts) =>
        values.Select(v => v with { Description = Prose.Fill(v.Description, texts) }).ToEquatableArray();

    private static ClientModel Fill(ClientModel client, EquatableArray<string> texts) => client with
    {
        Description = Prose.Fill(client.Description, texts),
        Operations = client.Operations.Select(o => Fill(o, texts)).ToEquatableArray(),
        Tags = client.Tags.Select(t => t with { Description = Prose.Fill(t.Description, texts) }).ToEquatableArray(),
        Groups = client.Groups.Select(g => g with { Description = Prose.Fill(g.Description, texts), Operations = g.Operations.Select(o => Fill(o, texts)).ToEquatableArray() }).ToEquatableArray(),
        SecuritySchemes = client.SecuritySchemes.Select(s => s with { Description = Prose.Fill(s.Description, texts) }).ToEquatableArray(),
        VariableServer = client.VariableServer is { } server ? Fill(server, texts) : null,
    };

    private static ServerModel Fill(ServerModel server, EquatableArray<string> texts) => server with
    {
        Description = Prose.Fill(server.Description, texts),
        Variables = server.Variables.Select(v => v with { Description = Prose.Fill(v.Description, texts) }).ToEquatableArray(),
    };

    private static OperationModel Fill(OperationModel operation, EquatableArray<string> texts) => operation with
    {
        Summary = Prose.Fill(operation.Summary, texts),
        Description = Prose.Fill(operation.Description, texts),
        Parameters = operation.Parameters.Select(p => p with { Description = Prose.Fill(p.Description, texts) }).ToEquatableArray(),
        Body = operation.Body is { } body ? body with { Description = Prose.Fill(body.Description, texts) } : null,
        Pager = operation.Pager is { Parameter: { } cursor } pager ? pager with { Parameter = cursor with { Description = Prose.Fill(cursor.Description, texts) } } : operation.Pager,
    };
}
