using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Specgen.Conformance.Tests.Values;

/// <summary>Where a value comes from: a schema (or a Swagger 2.0 parameter read as one) and an example of the value from around it.</summary>
internal sealed record ValueSource(SchemaView Schema, JsonNode? Example);

/// <summary>
/// One operation of the raw document (<c>paths.{template}.{method}</c>): its parameters (the
/// operation's own over the path item's, <c>$ref</c>s followed) and its request body, in
/// OpenAPI 3 or Swagger 2.0 form.
/// </summary>
internal sealed class OperationSpec
{
    private readonly SpecTree _tree;
    private readonly Located _operation;
    private readonly List<Located> _parameters = new();

    public OperationSpec(SpecTree tree, string pathTemplate, string httpMethod)
    {
        _tree = tree;
        Located pathItem = tree.Resolve(tree.Root["paths"][pathTemplate]);
        _operation = tree.Resolve(pathItem[httpMethod.ToLowerInvariant()]);
        if (_operation.IsMissing)
        {
            throw new InvalidOperationException($"The document has no {httpMethod} {pathTemplate}.");
        }

        foreach (Located list in new[] { _operation["parameters"], pathItem["parameters"] })
        {
            if (list.Node is not JsonArray items)
            {
                continue;
            }

            foreach (JsonNode? item in items)
            {
                Located parameter = tree.Resolve(new Located(item, list.File));
                if (!_parameters.Any(p => Name(p) == Name(parameter) && In(p) == In(parameter)))
                {
                    _parameters.Add(parameter);
                }
            }
        }
    }

    /// <summary>The parameter <paramref name="name"/> in <paramref name="location"/> (<c>path</c>, <c>query</c>, <c>header</c>, <c>cookie</c>).</summary>
    public ValueSource Parameter(string name, string location)
    {
        Located parameter = _parameters.FirstOrDefault(p => Name(p) == name && string.Equals(In(p), location, StringComparison.OrdinalIgnoreCase));
        if (parameter.IsMissing)
        {
            throw new NoValueException($"the document declares no {location} parameter '{name}'");
        }

        // A parameter is described by `schema`, by `content` (one media type), or, in Swagger 2.0, by its own keywords.
        Located schema = parameter["schema"];
        JsonNode? mediaExample = null;
        if (schema.IsMissing && parameter["content"].Object is { Count: > 0 } content)
        {
            Located media = new(content.First().Value, parameter.File);
            schema = media["schema"];
            mediaExample = Example(media);
        }

        SchemaView view = SchemaView.Of(_tree, schema.IsMissing ? parameter : schema);
        return new ValueSource(view, Example(parameter) ?? mediaExample);
    }

    /// <summary>Whether the document gives the parameter a value of its own (an example, a default, a constant) rather than only a type.</summary>
    public bool ParameterIsDocumented(string name, string location)
    {
        try
        {
            ValueSource source = Parameter(name, location);
            return source.Example is not null || source.Schema.Example is not null || source.Schema.Default is not null || source.Schema.HasConst;
        }
        catch (NoValueException)
        {
            return false;
        }
    }

    /// <summary>
    /// The request body in the media type the client sends (<paramref name="mediaType"/> picks it:
    /// the first type it accepts, in document order). Swagger 2.0: the <c>body</c> parameter, or
    /// the <c>formData</c> parameters as the members of one object.
    /// </summary>
    public ValueSource Body(Func<string, bool> mediaType)
    {
        if (_tree.IsSwagger2)
        {
            Located body = _parameters.FirstOrDefault(p => In(p) == "body");
            if (!body.IsMissing)
            {
                return new ValueSource(SchemaView.Of(_tree, body["schema"]), (body.Object?["x-examples"] as JsonObject)?.FirstOrDefault().Value);
            }

            return new ValueSource(FormSchema(), null);
        }

        Located requestBody = _tree.Resolve(_operation["requestBody"]);
        if (requestBody["content"].Object is not { } content)
        {
            throw new NoValueException("the operation declares no request body content");
        }

        foreach ((string type, JsonNode? media) in content)
        {
            if (mediaType(type))
            {
                var located = new Located(media, requestBody.File);
                return new ValueSource(SchemaView.Of(_tree, located["schema"]), Example(located));
            }
        }

        throw new NoValueException($"none of the body's media types ({string.Join(", ", content.Select(c => c.Key))}) is the one the client sends");
    }

    /// <summary>Swagger 2.0 form parameters as one object schema: each parameter a member, <c>type: file</c> a binary string.</summary>
    private SchemaView FormSchema()
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (Located parameter in _parameters.Where(p => In(p) == "formData"))
        {
            JsonObject member = (JsonObject)parameter.Object!.DeepClone();
            member.Remove("in");
            member.Remove("name");
            member.Remove("required");
            properties[Name(parameter)!] = member;
            if (parameter.Object!["required"]?.GetValue<bool>() == true)
            {
                required.Add(Name(parameter));
            }
        }

        var form = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required };
        return SchemaView.Of(_tree, new Located(form, _tree.EntryFile));
    }

    /// <summary><c>example</c>, or the value of the first of <c>examples</c> (OpenAPI 3's named examples, <c>$ref</c>s followed), or <c>x-example</c>.</summary>
    private JsonNode? Example(Located holder)
    {
        if (holder.Object is not { } members)
        {
            return null;
        }

        if (members["example"] is { } example)
        {
            return example;
        }

        if (members["examples"] is JsonObject { Count: > 0 } named)
        {
            return _tree.Resolve(new Located(named.First().Value, holder.File)).Object?["value"];
        }

        return members["x-example"];
    }

    private static string? Name(Located parameter) => parameter.Object?["name"]?.ToString();

    private static string? In(Located parameter) => parameter.Object?["in"]?.ToString();
}
