using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Lowers schemas to <see cref="TypeRef"/>s, creating a <see cref="TypeModel"/> for every object,
/// enum and union it meets: component schemas keep their (PascalCased) names, inline ones are named
/// after the place they appear (<c>MessageObject</c> + <c>status</c> -> <c>MessageObjectStatus</c>).
/// </summary>
internal sealed class SchemaMapper
{
    private readonly MappingContext _context;
    private readonly EventStreamMapper _streams;
    private readonly IDictionary<string, IOpenApiSchema> _components;
    private readonly Dictionary<string, TypeRef> _mappedComponents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _componentTypeNames = new(StringComparer.Ordinal);

    // Integer enums whose values have constants (NamedValuesModel), by schema, for the members that take them.
    private readonly Dictionary<IOpenApiSchema, string> _namedValues = new(IdentityComparer.Instance);

    // Named types by the schema object they were made from, so that a reference into a component
    // finds the type the component's mapping gave that place.
    private readonly Dictionary<IOpenApiSchema, TypeRef> _inlineTypes = new(IdentityComparer.Instance);

    // References into components already followed, by their text; and the places they reached
    // that had no type yet, so that the component's own mapping reuses it.
    private readonly Dictionary<string, TypeRef> _subschemas = new(StringComparer.Ordinal);
    private readonly Dictionary<IOpenApiSchema, TypeRef> _subschemaTargets = new(IdentityComparer.Instance);

    // The schema each reference reaches, resolved once: every property read of an
    // OpenApiSchemaReference resolves it again in Microsoft.OpenApi (splitting its text each time).
    private readonly Dictionary<IOpenApiSchema, IOpenApiSchema> _targets = new(IdentityComparer.Instance);

    public SchemaMapper(MappingContext context, OpenApiDocument document, EventStreamMapper streams)
    {
        _context = context;
        _streams = streams;
        _components = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();

        // Components claim their names before any inline schema can take one.
        foreach (string name in _components.Keys)
        {
            string wanted = MemberNaming.Requested(_components[name].Extensions, context, "/components/schemas/" + MappingContext.Escape(name)) ?? name;
            _componentTypeNames[name] = context.ClaimTypeName(Naming.Pascal(wanted, "Schema"));
        }
    }

    /// <summary>
    /// The schema whose properties <paramref name="schema"/> reads: for a reference its target
    /// (resolved once), else itself. Only for the properties a reference reads from its target, not
    /// for the ones a reference can override (description, title, default, deprecated).
    /// </summary>
    private IOpenApiSchema Target(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchemaReference reference)
        {
            return schema;
        }

        if (!_targets.TryGetValue(reference, out IOpenApiSchema? target))
        {
            // Unresolved, the reference stands for itself: its reads give what they always did.
            target = reference.Target ?? reference;
            _targets[reference] = target;
        }

        return target;
    }

    /// <summary>Maps every component schema, so that models nobody references are generated too.</summary>
    public void MapAllComponents()
    {
        foreach (string name in _components.Keys)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            MapComponent(name);
        }
    }

    /// <summary>Maps a schema found at <paramref name="pointer"/>; <paramref name="nameHint"/> names the type if one is needed.</summary>
    public TypeRef Map(IOpenApiSchema? schema, string nameHint, string pointer)
    {
        if (schema is null)
        {
            return TypeRef.Of(TypeKind.Any);
        }

        if (schema is OpenApiSchemaReference reference)
        {
            return MapReference(reference, pointer);
        }

        return MapInline(schema, nameHint, pointer);
    }

    private TypeRef MapReference(OpenApiSchemaReference reference, string pointer)
    {
        // The text as written wins over the reader's id, which for `#/components/schemas/X/properties/y`
        // is just `y` (and would silently be a component named `y`, if there is one).
        string? written = _context.RefAt(pointer);
        if (written is not null && SchemaPath(written) is { } path)
        {
            if (!_components.ContainsKey(path.Component))
            {
                _context.Report(DiagnosticDescriptors.UnresolvedReference.Id, $"The $ref '{written}' cannot be resolved: there is no schema '{path.Component}'", pointer);
                return TypeRef.Of(TypeKind.Any);
            }

            return path.Inside.Count == 0 ? MapComponent(path.Component) : MapSubschema(written, path.Component, path.Inside, pointer);
        }

        if (written is not null && written.StartsWith("#", StringComparison.Ordinal))
        {
            _context.Report(DiagnosticDescriptors.UnresolvedReference.Id, $"The $ref '{written}' points to nothing", pointer);
            return TypeRef.Of(TypeKind.Any);
        }

        string? id = reference.Reference?.Id;
        if (id is not null && _components.ContainsKey(id))
        {
            return MapComponent(id);
        }

        string target = written ?? reference.Reference?.ReferenceV3 ?? id ?? "(unknown)";
        _context.Report(DiagnosticDescriptors.UnresolvedReference.Id, $"The $ref '{target}' cannot be resolved", pointer);
        return TypeRef.Of(TypeKind.Any);
    }

    /// <summary>
    /// A reference into a component schema (<c>#/components/schemas/Order/properties/shipping</c>):
    /// the type the component's own mapping gave that place, so that both uses are one type;
    /// else the place mapped on its own, named as the component's mapping would have named it.
    /// </summary>
    private TypeRef MapSubschema(string written, string component, IReadOnlyList<string> inside, string pointer)
    {
        if (_subschemas.TryGetValue(written, out TypeRef? known))
        {
            return known;
        }

        // Mapped first, so that the places inside it have their types (or, when the component is
        // being mapped right now, its placeholder stops the recursion).
        MapComponent(component);
        IOpenApiSchema? target = _components[component];
        string name = _componentTypeNames[component];
        string targetPointer = "/components/schemas/" + MappingContext.Escape(component);
        for (int i = 0; i < inside.Count && target is { } current; i++)
        {
            (target, string? suffix, int used) = Step(current, inside, i);
            name += suffix;
            targetPointer += "/" + string.Join("/", inside.Skip(i).Take(used).Select(MappingContext.Escape));
            i += used - 1;
        }

        if (target is null)
        {
            _context.Report(DiagnosticDescriptors.UnresolvedReference.Id, $"The $ref '{written}' cannot be resolved: there is no such place inside the schema '{component}'", pointer);
            return TypeRef.Of(TypeKind.Any);
        }

        if (_inlineTypes.TryGetValue(target, out TypeRef? mappedInPlace))
        {
            _subschemas[written] = mappedInPlace;
            return mappedInPlace;
        }

        // Not given a type in place (a scalar, or a place the component's mapping does not visit):
        // mapped here, and remembered before its members so that a reference to itself ends.
        _subschemas[written] = TypeRef.Of(TypeKind.Any);
        TypeRef mapped = _subschemaTargets.TryGetValue(target, out TypeRef? claimed) ? claimed : Map(target, name, targetPointer);
        _subschemaTargets[target] = mapped;
        _subschemas[written] = mapped;
        return mapped;
    }

    /// <summary>
    /// One step into a schema along a pointer's segments from <paramref name="i"/>: the schema
    /// there (null when there is none), what it adds to a type name, and how many segments it took.
    /// </summary>
    private (IOpenApiSchema? Schema, string? Suffix, int Used) Step(IOpenApiSchema schema, IReadOnlyList<string> inside, int i)
    {
        IOpenApiSchema current = Target(schema);
        string keyword = inside[i];
        string? key = i + 1 < inside.Count ? inside[i + 1] : null;
        return keyword switch
        {
            "properties" when key is not null => (current.Properties is { } p && p.TryGetValue(key, out IOpenApiSchema? s) ? s : null, Naming.Pascal(key), 2),
            "$defs" or "definitions" when key is not null => (current.Definitions is { } d && d.TryGetValue(key, out IOpenApiSchema? s) ? s : null, Naming.Pascal(key), 2),
            "items" => (current.Items, "Item", 1),
            "additionalProperties" => (current.AdditionalProperties, "Value", 1),
            "not" => (current.Not, null, 1),
            "allOf" or "oneOf" or "anyOf" when key is not null && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) =>
                (Branch(current, keyword) is { } list && index < list.Count ? list[index] : null, null, 2),
            _ => (null, null, 1),
        };
    }

    /// <summary>
    /// The schema a reference into a component leads to (<c>#/components/schemas/Tag/allOf/0</c>),
    /// which OpenAPI 3.0's reader leaves unresolved; null when the place has none.
    /// </summary>
    private IOpenApiSchema? SchemaAt(string written)
    {
        if (SchemaPath(written) is not { } path || !_components.TryGetValue(path.Component, out IOpenApiSchema? target))
        {
            return null;
        }

        for (int i = 0; i < path.Inside.Count && target is { } current; i++)
        {
            (target, _, int used) = Step(current, path.Inside, i);
            i += used - 1;
        }

        return target;
    }

    private static IList<IOpenApiSchema>? Branch(IOpenApiSchema schema, string keyword) => keyword switch
    {
        "allOf" => schema.AllOf,
        "oneOf" => schema.OneOf,
        _ => schema.AnyOf,
    };

    /// <summary>
    /// <c>#/components/schemas/X/rest…</c> (or Swagger 2.0's <c>#/definitions/X/rest…</c>) as the
    /// component's name and the segments after it; null for any other reference.
    /// </summary>
    private static (string Component, IReadOnlyList<string> Inside)? SchemaPath(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        string[] segments = Uri.UnescapeDataString(reference.Substring(2)).Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        if (segments.Length >= 3 && segments[0] == "components" && segments[1] == "schemas")
        {
            return (segments[2], segments.Skip(3).ToArray());
        }

        if (segments.Length >= 2 && segments[0] == "definitions")
        {
            return (segments[1], segments.Skip(2).ToArray());
        }

        return null;
    }

    /// <summary>The type of a component schema, by its name in the document.</summary>
    public TypeRef MapComponentByName(string name) => MapComponent(name);

    private TypeRef MapComponent(string name)
    {
        if (_mappedComponents.TryGetValue(name, out TypeRef? done))
        {
            return done;
        }

        string typeName = _componentTypeNames[name];
        IOpenApiSchema schema = _components[name];
        string pointer = "/components/schemas/" + MappingContext.Escape(name);
        if (schema is OpenApiSchemaReference alias && (alias.Target is null || (_context.RefAt(pointer) is { } written && SchemaPath(written) is { Inside.Count: > 0 })))
        {
            // `X: {$ref: ...}` into another schema, or one the reader could not follow: X stands
            // for the type of the place it reaches (a reference to a whole component keeps its
            // own type, as before).
            if (!_inProgress.Add(name))
            {
                return TypeRef.Of(TypeKind.Any);
            }

            try
            {
                return _mappedComponents[name] = MapReference(alias, pointer);
            }
            finally
            {
                _inProgress.Remove(name);
            }
        }
        if (!_inProgress.Add(name))
        {
            // A cycle through aliases only (A = B, B = A?) has no type to stand for it.
            _context.Report(DiagnosticDescriptors.Unsupported.Id, $"The schema '{name}' refers to itself without an object in between", pointer);
            return TypeRef.Of(TypeKind.Any);
        }

        try
        {
            // Named kinds are registered before their members are mapped so that recursive schemas
            // (a node whose children are nodes) refer to the type instead of recursing forever.
            switch (Classify(schema))
            {
                case ShapeKind.Object:
                    _mappedComponents[name] = new TypeRef(TypeKind.Object, typeName);
                    break;
                case ShapeKind.Union:
                    _mappedComponents[name] = new TypeRef(TypeKind.Union, typeName);
                    break;
                case ShapeKind.Enum:
                    _mappedComponents[name] = new TypeRef(TypeKind.Enum, typeName);
                    break;
            }

            TypeRef mapped = MapInline(schema, typeName, pointer, exactName: true);
            _mappedComponents[name] = mapped;
            return mapped;
        }
        finally
        {
            _inProgress.Remove(name);
        }
    }

    private enum ShapeKind
    {
        Alias,
        Object,
        Enum,
        Union,
    }

    private ShapeKind Classify(IOpenApiSchema original)
    {
        IOpenApiSchema schema = Target(original);
        if (NonNullBranches(schema) is { Count: > 1 })
        {
            return ShapeKind.Union;
        }

        if (IsMultiValueStringEnum(schema))
        {
            return ShapeKind.Enum;
        }

        if (ScalarTypes(schema) is not null)
        {
            return ShapeKind.Union;
        }

        if ((schema.Properties is { Count: > 0 }) || (schema.AllOf is { } allOf && ShapedParts(allOf).Count > 1) || (IsObjectType(schema) && schema.AdditionalProperties is null && schema.AdditionalPropertiesAllowed == false))
        {
            return ShapeKind.Object;
        }

        return ShapeKind.Alias;
    }

    private TypeRef MapInline(IOpenApiSchema schema, string nameHint, string pointer, bool exactName = false)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        if (!exactName && _subschemaTargets.TryGetValue(schema, out TypeRef? referenced))
        {
            return referenced;
        }

        TypeRef result = MapShape(schema, nameHint, pointer, exactName);
        if (result.Kind is TypeKind.Object or TypeKind.Enum or TypeKind.Union)
        {
            Remember(schema, result with { Nullable = false });
        }

        return result;
    }

    /// <summary>
    /// The one part that gives a schema its shape (<c>Pet: {allOf: [{type: object, ...}]}</c>): written
    /// in place, it is the schema itself and takes the name the schema has (with
    /// <paramref name="exactName"/>, already claimed), not a second one (<c>Pet2</c>).
    /// </summary>
    private TypeRef MapPart(IOpenApiSchema part, string nameHint, string pointer, bool exactName) =>
        part is OpenApiSchemaReference ? Map(part, nameHint, pointer) : MapInline(part, nameHint, pointer, exactName);

    /// <summary>The type made from <paramref name="schema"/>, recorded as soon as its name is chosen (so before its members are mapped).</summary>
    private void Remember(IOpenApiSchema schema, TypeRef type)
    {
        if (!_inlineTypes.ContainsKey(schema))
        {
            _inlineTypes[schema] = type;
        }
    }

    private TypeRef MapShape(IOpenApiSchema original, string nameHint, string pointer, bool exactName)
    {
        IOpenApiSchema schema = Target(original);
        bool nullable = (schema.Type is { } type && (type & JsonSchemaType.Null) != 0) || HasNullableKeyword(schema);

        // anyOf/oneOf: [X, {type: null}] is a nullable X; more than one real branch is a union.
        List<(IOpenApiSchema Schema, int Index, string Keyword)>? branches = NonNullBranches(schema);
        if (branches is not null)
        {
            nullable |= HasNullBranch(schema);
            if (branches.Count == 1 && (schema.Properties is null || schema.Properties.Count == 0))
            {
                (IOpenApiSchema only, int index, string keyword) = branches[0];
                TypeRef inner = MapPart(only, nameHint, $"{pointer}/{keyword}/{index}", exactName);
                return WithConstraints(inner, schema) with { Nullable = nullable || inner.Nullable };
            }

            if (branches.Count > 1)
            {
                return MapUnion(original, branches, nameHint, pointer, exactName) with { Nullable = nullable };
            }
        }

        if (schema.AllOf is { Count: > 0 } allOf)
        {
            List<int> shaped = ShapedParts(allOf);
            if (shaped.Count > 1 || schema.Properties is { Count: > 0 })
            {
                return MapObject(original, nameHint, pointer, exactName) with { Nullable = nullable };
            }

            // One part gives the shape and the others only describe it (Box's
            // `allOf: [{type: string, nullable: true}, {nullable: false}]`, a `$ref` beside a
            // description): the value is that part's. With no part that gives a shape, the
            // schema's own keywords decide, as if there were no allOf.
            nullable |= allOf.Any(IsNullOnly);
            if (shaped.Count == 1)
            {
                TypeRef inner = MapPart(allOf[shaped[0]], nameHint, $"{pointer}/allOf/{shaped[0]}", exactName);
                return inner with { Nullable = nullable || inner.Nullable };
            }
        }

        if (IsMultiValueStringEnum(schema))
        {
            return MapEnum(original, nameHint, exactName, pointer) with { Nullable = nullable };
        }

        JsonSchemaType primary = (schema.Type ?? 0) & ~JsonSchemaType.Null;
        if (primary == 0 && schema.Properties is { Count: > 0 })
        {
            primary = JsonSchemaType.Object;
        }

        if (primary == 0 && schema.Items is not null)
        {
            primary = JsonSchemaType.Array;
        }

        if (ScalarTypes(schema) is { } scalars)
        {
            var typed = scalars.Select((scalar, index) => ((IOpenApiSchema)new OpenApiSchema { Type = scalar }, index, "type")).ToList();
            return MapUnion(original, typed, nameHint, pointer, exactName) with { Nullable = nullable };
        }

        TypeRef result = primary switch
        {
            JsonSchemaType.String => MapString(schema, _context.Target),
            JsonSchemaType.Integer => MapInteger(original, schema, nameHint, exactName, pointer),
            JsonSchemaType.Number => TypeRef.Of(IntegerKind(schema.Format) ?? schema.Format switch
            {
                "float" => TypeKind.Float,
                "decimal" => TypeKind.Decimal,
                _ => TypeKind.Double,
            }),
            JsonSchemaType.Boolean => TypeRef.Of(TypeKind.Boolean),
            JsonSchemaType.Array => new TypeRef(TypeKind.Array, Element: Map(schema.Items, nameHint + "Item", pointer + "/items")),
            JsonSchemaType.Object => MapObjectOrMap(original, nameHint, pointer, exactName),
            0 => TypeRef.Of(TypeKind.Any),
            _ => Unsupported(schema, pointer, $"A schema of several types ({primary}) is not supported yet"),
        };

        return WithConstraints(result, schema) with { Nullable = nullable || result.Nullable };
    }

    /// <summary>
    /// The scalar types of a schema of several (<c>type: [string, integer]</c>, and OpenAPI 3.0's
    /// <c>oneOf: [{type: string}, {type: integer}]</c>, which Microsoft.OpenApi reads as that), in a
    /// fixed order, the most general first; null for a schema of one type, or of a structured one.
    /// Such a value is a union of those scalars, as the same <c>oneOf</c> is in OpenAPI 3.1.
    /// </summary>
    private static List<JsonSchemaType>? ScalarTypes(IOpenApiSchema schema)
    {
        JsonSchemaType types = (schema.Type ?? 0) & ~JsonSchemaType.Null;
        if ((types & (JsonSchemaType.Object | JsonSchemaType.Array)) != 0 || schema.Properties is { Count: > 0 } || schema.Enum is { Count: > 0 })
        {
            return null;
        }

        var scalars = new List<JsonSchemaType>();
        foreach (JsonSchemaType scalar in new[] { JsonSchemaType.String, JsonSchemaType.Integer, JsonSchemaType.Number, JsonSchemaType.Boolean })
        {
            if ((types & scalar) != 0)
            {
                scalars.Add(scalar);
            }
        }

        return scalars.Count > 1 ? scalars : null;
    }

    private TypeRef Unsupported(IOpenApiSchema schema, string pointer, string detail)
    {
        _context.Report(DiagnosticDescriptors.Unsupported.Id, detail + "; the value is kept as raw JSON", pointer);
        return TypeRef.Of(TypeKind.Any);
    }

    /// <summary>
    /// A string's format, where the client parses it: <c>date-time</c>, <c>date</c>, <c>uuid</c>,
    /// <c>byte</c> (base64), <c>binary</c>. Others stay strings: <c>time</c> (RFC 3339's full-time
    /// carries an offset that <c>TimeOnly</c> cannot hold), <c>duration</c> (ISO 8601 months and years
    /// are no <c>TimeSpan</c>), <c>uri</c> (often relative, and <c>Uri</c> would rewrite it).
    /// </summary>
    private static TypeRef MapString(IOpenApiSchema schema, TargetFeatures target) =>
        IsBinary(schema) ? TypeRef.Of(TypeKind.Binary)
        : schema.Format switch
        {
            "date-time" => TypeRef.Of(TypeKind.DateTime),
            "date" => TypeRef.Of(TypeKind.Date) with { DateAsDateTime = !target.HasDateOnly },
            "uuid" => TypeRef.Of(TypeKind.Uuid),
            "byte" => TypeRef.Of(TypeKind.Base64),
            _ => TypeRef.Of(TypeKind.String),
        };

    /// <summary>The integer type a format names (<c>int8</c> … <c>uint64</c>), or null.</summary>
    private static TypeKind? IntegerKind(string? format) => format switch
    {
        "int8" => TypeKind.Int8,
        "int16" => TypeKind.Int16,
        "int32" => TypeKind.Int32,
        "int64" => TypeKind.Int64,
        "uint8" => TypeKind.UInt8,
        "uint16" => TypeKind.UInt16,
        "uint32" => TypeKind.UInt32,
        "uint64" => TypeKind.UInt64,
        _ => null,
    };

    /// <summary>
    /// A file: <c>format: binary</c> (OpenAPI 3.0), or a 3.1 <c>contentMediaType</c> that is not
    /// text and has no <c>contentEncoding</c> (base64 text stays a string).
    /// </summary>
    private static bool IsBinary(IOpenApiSchema schema)
    {
        if (schema.Format == "binary")
        {
            return true;
        }

        return schema is IOpenApiSchemaMissingProperties { ContentMediaType: { Length: > 0 } media, ContentEncoding: null or { Length: 0 } }
            && !media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            && !media.EndsWith("json", StringComparison.OrdinalIgnoreCase);
    }

    private TypeRef MapObjectOrMap(IOpenApiSchema schema, string nameHint, string pointer, bool exactName)
    {
        IOpenApiSchema target = Target(schema);
        if (target.Properties is { Count: > 0 } || target.AdditionalPropertiesAllowed == false)
        {
            return MapObject(schema, nameHint, pointer, exactName);
        }

        if (target.AdditionalProperties is { } values)
        {
            return new TypeRef(TypeKind.Map, Element: Map(values, nameHint + "Value", pointer + "/additionalProperties"));
        }

        // A free-form object: any JSON object, kept as raw JSON.
        return TypeRef.Of(TypeKind.Any);
    }

    private TypeRef MapObject(IOpenApiSchema schema, string nameHint, string pointer, bool exactName)
    {
        string name = exactName ? nameHint : _context.ClaimTypeName(nameHint);
        Remember(schema, new TypeRef(TypeKind.Object, name));
        var properties = new List<PropertyModel>();
        var members = new NameScope(MemberNaming.ModelMembers(name));
        var required = new HashSet<string>(StringComparer.Ordinal);

        // allOf members contribute their properties first, in order, then the schema's own.
        var sources = new List<(IOpenApiSchema Schema, string Pointer)>();
        if (Target(schema).AllOf is { } allOf)
        {
            for (int i = 0; i < allOf.Count; i++)
            {
                CollectAllOf(allOf[i], $"{pointer}/allOf/{i}", sources, depth: 0);
            }
        }

        sources.Add((schema, pointer));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((IOpenApiSchema source, string _) in sources)
        {
            if (Target(source).Required is { } requiredNames)
            {
                required.UnionWith(requiredNames);
            }
        }

        foreach ((IOpenApiSchema source, string sourcePointer) in sources)
        {
            if (Target(source).Properties is not { } sourceProperties)
            {
                continue;
            }

            ObjectModel? baseModel = InheritedModel(sourcePointer, pointer);
            foreach (KeyValuePair<string, IOpenApiSchema> property in sourceProperties)
            {
                // A property whose schema is `false` (3.1: it must not be there) reaches here as null.
                if (property.Value is null || !seen.Add(property.Key))
                {
                    continue;
                }

                string propertyPointer = $"{sourcePointer}/properties/{MappingContext.Escape(property.Key)}";
                string propertyName = members.Claim(Naming.Pascal(RequestedName(property.Value, propertyPointer) ?? property.Key));

                // A member inherited from another component has the type that component gave it
                // (one AbstractActionLastRunBy, not a copy of it per derived model).
                TypeRef type = baseModel?.Properties.FirstOrDefault(p => p.JsonName == property.Key)?.Type
                    ?? Map(property.Value, name + propertyName, propertyPointer);
                properties.Add(new PropertyModel(
                    property.Key,
                    propertyName,
                    type,
                    required.Contains(property.Key),
                    Describe(property.Value),
                    SingleEnumValue(property.Value),
                    IsDeprecated(property.Value))
                {
                    Default = DefaultOf(property.Value),
                    ReadOnly = property.Value.ReadOnly || Target(property.Value).ReadOnly,
                    WriteOnly = property.Value.WriteOnly || Target(property.Value).WriteOnly,
                    NamedValues = _namedValues.TryGetValue(Target(property.Value), out string? named) ? named : null,
                });
            }
        }

        // The body of a streaming operation: its `stream` member is written as true by the streaming method.
        bool streamFlag = _streams.IsStreamingBody(Target(schema))
            && properties.Any(p => p.JsonName == EventStreamMapper.StreamFlagMember && p.Type.Kind == TypeKind.Boolean);
        _context.Types.Add(new ObjectModel(_context.Namespace, name, Describe(schema), IsDeprecated(schema), MemberNaming.WithStorage(properties).ToEquatableArray())
        {
            StreamFlag = streamFlag ? EventStreamMapper.StreamFlagMember : null,
        });
        return new TypeRef(TypeKind.Object, name);
    }

    /// <summary>
    /// The model of the component whose part is at <paramref name="sourcePointer"/>, mapped first, when
    /// that is another component than the one at <paramref name="pointer"/> and an object; else null
    /// (the members are then mapped in place, as when that component is being mapped right now).
    /// </summary>
    private ObjectModel? InheritedModel(string sourcePointer, string pointer)
    {
        if (ComponentOf(sourcePointer) is not { } component || component == ComponentOf(pointer) || !_components.ContainsKey(component))
        {
            return null;
        }

        MapComponent(component);
        return _componentTypeNames.TryGetValue(component, out string? typeName) ? _context.Types.Named<ObjectModel>(typeName) : null;
    }

    /// <summary>The component schema a pointer is in (<c>/components/schemas/Tag/allOf/0</c> is in <c>Tag</c>), or null.</summary>
    private static string? ComponentOf(string pointer)
    {
        const string prefix = "/components/schemas/";
        if (!pointer.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        int end = pointer.IndexOf('/', prefix.Length);
        string escaped = end < 0 ? pointer.Substring(prefix.Length) : pointer.Substring(prefix.Length, end - prefix.Length);
        return escaped.Replace("~1", "/").Replace("~0", "~");
    }

    private void CollectAllOf(IOpenApiSchema part, string pointer, List<(IOpenApiSchema, string)> sources, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        // A part that is a reference is read where it is written: the places inside it (and their
        // own references, which the mappers look up by place) are under its target, not under the $ref.
        // One into a component's inside, which the reader may leave unresolved, is found here.
        string partPointer = pointer;
        if (part is OpenApiSchemaReference reference)
        {
            partPointer = PlaceOf(reference, pointer);
            if (reference.Target is null && _context.RefAt(pointer) is { } written && SchemaAt(written) is { } inside)
            {
                part = inside;
            }
        }

        if (Target(part).AllOf is { } nested)
        {
            for (int i = 0; i < nested.Count; i++)
            {
                CollectAllOf(nested[i], $"{partPointer}/allOf/{i}", sources, depth + 1);
            }
        }

        sources.Add((part, partPointer));
    }

    /// <summary>The pointer of the schema a reference at <paramref name="pointer"/> leads to: as written (<c>#/components/schemas/Tag/allOf/0</c>), else the component the reader names.</summary>
    private string PlaceOf(OpenApiSchemaReference reference, string pointer)
    {
        if (_context.RefAt(pointer) is { } written && written.StartsWith("#/", StringComparison.Ordinal))
        {
            return Uri.UnescapeDataString(written.Substring(1));
        }

        return reference.Reference?.Id is { } id ? "/components/schemas/" + MappingContext.Escape(id) : pointer;
    }

    /// <summary>
    /// The member name a property's own schema asks for with <c>x-specgen-name</c>. Not through a
    /// <c>$ref</c>: there the extension belongs to the schema referred to, and names its type.
    /// </summary>
    private string? RequestedName(IOpenApiSchema property, string pointer) =>
        property is OpenApiSchemaReference ? null : MemberNaming.Requested(property.Extensions, _context, pointer);

    /// <summary>An integer; when the document names the values of its enum, also their constants (<see cref="NamedValuesModel"/>).</summary>
    private TypeRef MapInteger(IOpenApiSchema original, IOpenApiSchema schema, string nameHint, bool exactName, string pointer)
    {
        TypeRef type = TypeRef.Of(IntegerKind(schema.Format) ?? (schema.Format == "unixtime" ? TypeKind.UnixTime : TypeKind.Int64));
        if (type.Kind == TypeKind.UnixTime || schema.Enum is not { Count: > 1 } || IntegerEnumValues(schema, type.Kind) is not { } values)
        {
            return type;
        }

        var given = GivenEnumNames(schema, pointer);
        if (!values.Any(v => given.TryGetValue(v, out var named) && named.Name is not null))
        {
            return type;
        }

        string name = exactName ? nameHint : _context.ClaimTypeName(nameHint);
        _context.Types.Add(new NamedValuesModel(_context.Namespace, name, Describe(original), IsDeprecated(original), type, Naming.EnumValues(name, values, given)));
        _namedValues[schema] = name;
        return type;
    }

    /// <summary>The names and descriptions the document gives <paramref name="schema"/>'s enum values; a malformed list is SPEC007.</summary>
    private Dictionary<string, (string? Name, string? Description)> GivenEnumNames(IOpenApiSchema schema, string pointer) =>
        EnumNames.Read(schema, (extension, problem) => _context.IgnoreExtension(extension, problem, $"{pointer}/{extension}"));

    /// <summary>The values of an integer enum as their digits, or null when one is not a whole number of <paramref name="kind"/>.</summary>
    private static List<string>? IntegerEnumValues(IOpenApiSchema schema, TypeKind kind)
    {
        (long min, long max) = kind switch
        {
            TypeKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            TypeKind.Int16 => (short.MinValue, short.MaxValue),
            TypeKind.Int32 => (int.MinValue, int.MaxValue),
            TypeKind.UInt8 => (byte.MinValue, byte.MaxValue),
            TypeKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
            TypeKind.UInt32 => (uint.MinValue, uint.MaxValue),
            TypeKind.UInt64 => (0, long.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        var values = new List<string>();
        foreach (JsonNode? value in schema.Enum!)
        {
            if (value is null)
            {
                continue;
            }

            // A constant must fit its type, or the generated code would not compile.
            if (value is not JsonValue scalar || !scalar.TryGetValue(out long number) || number < min || number > max || EnumNames.ValueText(value) is not { } digits)
            {
                return null;
            }

            values.Add(digits);
        }

        return values;
    }

    private TypeRef MapEnum(IOpenApiSchema schema, string nameHint, bool exactName, string pointer)
    {
        string name = exactName ? nameHint : _context.ClaimTypeName(nameHint);
        var given = GivenEnumNames(Target(schema), pointer);
        _context.Types.Add(new EnumModel(_context.Namespace, name, Describe(schema), IsDeprecated(schema), Naming.EnumValues(name, StringEnumValues(Target(schema)), given)));
        return new TypeRef(TypeKind.Enum, name);
    }

    private TypeRef MapUnion(IOpenApiSchema schema, List<(IOpenApiSchema Schema, int Index, string Keyword)> branches, string nameHint, string pointer, bool exactName)
    {
        string name = exactName ? nameHint : _context.ClaimTypeName(nameHint);
        Remember(schema, new TypeRef(TypeKind.Union, name));
        string? discriminator = FindDiscriminator(schema, branches.Where(b => !IsScalarOrArray(b.Schema)).Select(b => b.Schema).ToList());
        var members = new NameScope(MemberNaming.UnionMembers(name));
        var variants = new List<VariantModel>();
        foreach ((IOpenApiSchema branch, int index, string keyword) in branches)
        {
            string? tag = discriminator is null || IsScalarOrArray(branch) ? null : DiscriminatorValue(schema, branch, discriminator);
            string variantName = members.Claim(VariantName(branch, tag));
            TypeRef type = Map(branch, name + variantName, $"{pointer}/{keyword}/{index}");
            variants.Add(new VariantModel(variantName, type, tag, Describe(branch)));
        }

        var union = new UnionModel(_context.Namespace, name, Describe(schema), IsDeprecated(schema), discriminator, variants.ToEquatableArray())
        {
            DiscriminatorMember = MemberNaming.DiscriminatorMember(name, discriminator, variants),
        };
        _context.Types.Add(_streams.Apply(Target(schema), union, _context.Types));
        return new TypeRef(TypeKind.Union, name);
    }

    private string VariantName(IOpenApiSchema branch, string? tag)
    {
        if (tag is not null)
        {
            return Naming.Pascal(tag);
        }

        if (TitleOf(branch) is { Length: > 0 } title)
        {
            return Naming.Pascal(title);
        }

        if (branch is OpenApiSchemaReference { Reference.Id: { } id } && _componentTypeNames.TryGetValue(id, out string? typeName))
        {
            return typeName;
        }

        IOpenApiSchema target = Target(branch);
        JsonSchemaType type = (target.Type ?? 0) & ~JsonSchemaType.Null;
        return type switch
        {
            JsonSchemaType.String => IsBinary(target) ? "File" : "String",
            JsonSchemaType.Integer => "Integer",
            JsonSchemaType.Number => "Number",
            JsonSchemaType.Boolean => "Boolean",
            JsonSchemaType.Array => target.Items is { } items && IsBinary(Target(items)) ? "Files" : "Array",
            _ => "Object",
        };
    }

    /// <summary>
    /// The member that chooses among the object variants: the declared discriminator, or else the
    /// first member every object variant requires with a single allowed value of its own (OpenAI's
    /// <c>type: {enum: [text]}</c> pattern). Variants that are not objects (ResponseFormat's string
    /// <c>auto</c> next to its <c>{type: …}</c> objects) take no part: their JSON token chooses them.
    /// </summary>
    /// <param name="objects">The variants that may be objects.</param>
    private string? FindDiscriminator(IOpenApiSchema union, List<IOpenApiSchema> objects)
    {
        if (objects.Count == 0)
        {
            return null;
        }

        if (Target(union).Discriminator?.PropertyName is { Length: > 0 } declared)
        {
            return declared;
        }

        // One object next to scalars needs no choosing: it is the only variant an object can be.
        if (objects.Count == 1)
        {
            return null;
        }

        // Candidates in the order the first variant lists them; a member whose value is the same in
        // two variants (Box's cards all say `type: skill_card`) cannot tell them apart.
        IOpenApiSchema first = Target(objects[0]);
        if (first.Properties is null)
        {
            return null;
        }

        foreach (string candidate in first.Properties.Keys)
        {
            var values = new HashSet<string>(StringComparer.Ordinal);
            bool discriminates = true;
            foreach (IOpenApiSchema objectVariant in objects)
            {
                IOpenApiSchema variant = Target(objectVariant);
                if (variant.Required?.Contains(candidate) != true || variant.Properties is null
                    || !variant.Properties.TryGetValue(candidate, out IOpenApiSchema? member) || SingleEnumValue(member) is not { } value || !values.Add(value))
                {
                    discriminates = false;
                    break;
                }
            }

            if (discriminates)
            {
                return candidate;
            }
        }

        return null;
    }

    private string? DiscriminatorValue(IOpenApiSchema union, IOpenApiSchema variant, string property)
    {
        if (Target(variant).Properties is { } properties && properties.TryGetValue(property, out IOpenApiSchema? member) && SingleEnumValue(member) is { } single)
        {
            return single;
        }

        if (variant is OpenApiSchemaReference { Reference.Id: { } id })
        {
            if (Target(union).Discriminator?.Mapping is { } mapping)
            {
                foreach (KeyValuePair<string, OpenApiSchemaReference> entry in mapping)
                {
                    if (entry.Value.Reference?.Id == id)
                    {
                        return entry.Key;
                    }
                }
            }

            return id;
        }

        return null;
    }

    /// <summary>
    /// Whether a union branch is a string, number, boolean or array (an enum or <c>items</c> alone
    /// counts, as <see cref="MapShape"/> reads them): never an object, so never discriminated.
    /// </summary>
    private bool IsScalarOrArray(IOpenApiSchema original)
    {
        IOpenApiSchema branch = Target(original);
        if (branch.Properties is { Count: > 0 } || branch.AllOf is { Count: > 0 } || branch.OneOf is { Count: > 0 } || branch.AnyOf is { Count: > 0 })
        {
            return false;
        }

        JsonSchemaType type = (branch.Type ?? 0) & ~JsonSchemaType.Null;
        return type != 0 ? (type & JsonSchemaType.Object) == 0 : branch.Items is not null || IsMultiValueStringEnum(branch);
    }

    private List<(IOpenApiSchema Schema, int Index, string Keyword)>? NonNullBranches(IOpenApiSchema original)
    {
        IOpenApiSchema schema = Target(original);
        IList<IOpenApiSchema>? list = schema.OneOf is { Count: > 0 } ? schema.OneOf : schema.AnyOf is { Count: > 0 } ? schema.AnyOf : null;
        if (list is null)
        {
            return null;
        }

        string keyword = ReferenceEquals(list, schema.OneOf) ? "oneOf" : "anyOf";
        var result = new List<(IOpenApiSchema, int, string)>();
        for (int i = 0; i < list.Count; i++)
        {
            if (!IsNullOnly(list[i]) && !IsConstraintOnly(list[i]))
            {
                result.Add((list[i], i, keyword));
            }
        }

        return result;
    }

    private bool HasNullBranch(IOpenApiSchema schema) =>
        (Target(schema).OneOf?.Any(IsNullOnly) ?? false) || (Target(schema).AnyOf?.Any(IsNullOnly) ?? false);

    private bool IsNullOnly(IOpenApiSchema schema) => Target(schema).Type == JsonSchemaType.Null;

    /// <summary>The indexes of the <c>allOf</c> parts that give the value a shape, not only words or constraints.</summary>
    private List<int> ShapedParts(IList<IOpenApiSchema> allOf)
    {
        var shaped = new List<int>();
        for (int i = 0; i < allOf.Count; i++)
        {
            if (allOf[i] is not null && !IsNullOnly(allOf[i]) && !IsConstraintOnly(allOf[i]))
            {
                shaped.Add(i);
            }
        }

        return shaped;
    }

    /// <summary>
    /// OpenAPI 3.0's <c>nullable: true</c> in a 3.1 document, where the keyword no longer exists
    /// (the reader keeps it as an unrecognized keyword). OpenAI's 3.1 document marks its nullable
    /// members this way, its API sends null for them, and Prism honours it; reading null must
    /// work, so Specgen honours it too.
    /// </summary>
    private static bool HasNullableKeyword(IOpenApiSchema schema) =>
        schema.UnrecognizedKeywords is { } keywords && keywords.TryGetValue("nullable", out JsonNode? value)
        && value is JsonValue flag && flag.TryGetValue(out bool nullable) && nullable;

    // `oneOf: [{required: [a]}, {required: [b]}]` only constrains which members appear; it adds no shape.
    private static bool IsConstraintOnly(IOpenApiSchema schema) =>
        schema is not OpenApiSchemaReference && schema.Type is null && schema.Properties is not { Count: > 0 } && schema.Items is null
        && schema.OneOf is not { Count: > 0 } && schema.AnyOf is not { Count: > 0 } && schema.AllOf is not { Count: > 0 } && schema.Enum is not { Count: > 0 };

    private static bool IsObjectType(IOpenApiSchema schema) => schema.Type is { } type && (type & JsonSchemaType.Object) != 0;

    private static bool IsMultiValueStringEnum(IOpenApiSchema schema) =>
        schema.Enum is { Count: > 1 } && StringEnumValues(schema).Count() == schema.Enum.Count(v => v is not null);

    private static IEnumerable<string> StringEnumValues(IOpenApiSchema schema)
    {
        if (schema.Enum is null)
        {
            yield break;
        }

        foreach (JsonNode? value in schema.Enum)
        {
            if (value is JsonValue scalar && scalar.TryGetValue(out string? text) && text is not null)
            {
                yield return text;
            }
        }
    }

    /// <summary>
    /// The one value a parameter's schema allows (<c>const</c>, or an <c>enum</c> of one scalar), as
    /// it goes on the wire: a string as it is, a number or boolean as written; null when it allows more.
    /// </summary>
    public string? ConstantOf(IOpenApiSchema? original)
    {
        if (original is null)
        {
            return null;
        }

        IOpenApiSchema schema = Target(original);
        if (schema.Const is { } constant)
        {
            return constant;
        }

        return schema.Enum is { Count: 1 } && schema.Enum[0] is JsonValue only
            ? only.TryGetValue(out string? text) ? text : only.ToJsonString()
            : null;
    }

    /// <summary>The one value a <c>const</c> or single-valued string enum allows, or null.</summary>
    private string? SingleEnumValue(IOpenApiSchema original)
    {
        IOpenApiSchema schema = Target(original);
        if (schema.Const is { } constant)
        {
            return constant;
        }

        if (schema.Enum is { Count: 1 } && StringEnumValues(schema).FirstOrDefault() is { } only)
        {
            return only;
        }

        return null;
    }

    /// <summary>The schema's <c>default</c> as compact JSON text, or null when it has none.</summary>
    public string? DefaultOf(IOpenApiSchema? schema) => schema switch
    {
        null => null,
        OpenApiSchemaReference reference => (reference.Reference.Default ?? Target(reference).Default)?.ToJsonString(),
        _ => schema.Default?.ToJsonString(),
    };

    /// <summary><c>deprecated</c>, which a reference may set for itself (else its target's).</summary>
    private bool IsDeprecated(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference reference ? reference.Reference.Deprecated ?? Target(reference).Deprecated : schema.Deprecated;

    /// <summary><c>title</c>, which a reference may set for itself (else its target's).</summary>
    private string? TitleOf(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference reference && string.IsNullOrEmpty(reference.Reference.Title) ? Target(reference).Title : schema.Title;

    private TypeRef WithConstraints(TypeRef type, IOpenApiSchema original)
    {
        IOpenApiSchema schema = Target(original);
        Constraints constraints = type.Constraints with
        {
            MaxLength = schema.MaxLength ?? type.Constraints.MaxLength,
            MinLength = schema.MinLength ?? type.Constraints.MinLength,
            Pattern = schema.Pattern ?? type.Constraints.Pattern,
            MaxItems = schema.MaxItems ?? type.Constraints.MaxItems,
            MinItems = schema.MinItems ?? type.Constraints.MinItems,
            MaxProperties = schema.MaxProperties ?? type.Constraints.MaxProperties,
            MinProperties = schema.MinProperties ?? type.Constraints.MinProperties,
            MaxKeyLength = (schema as IOpenApiSchemaMissingProperties)?.PropertyNames?.MaxLength ?? type.Constraints.MaxKeyLength,
            Minimum = ParseNumber(schema.Minimum) ?? type.Constraints.Minimum,
            Maximum = ParseNumber(schema.Maximum) ?? type.Constraints.Maximum,
        };
        return constraints.Equals(type.Constraints) ? type : type with { Constraints = constraints };
    }

    private static double? ParseNumber(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;

    private string? Describe(IOpenApiSchema schema)
    {
        string? text = schema is OpenApiSchemaReference reference && string.IsNullOrEmpty(reference.Reference.Description) ? Target(reference).Description : schema.Description;
        if (string.IsNullOrWhiteSpace(text) && TitleOf(schema) is { Length: > 0 } title)
        {
            text = title;
        }

        return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
    }
}

/// <summary>Compares schema objects by identity: two equal-looking schemas in different places are different places.</summary>
internal sealed class IdentityComparer : IEqualityComparer<IOpenApiSchema>
{
    public static readonly IdentityComparer Instance = new();

    public bool Equals(IOpenApiSchema? x, IOpenApiSchema? y) => ReferenceEquals(x, y);

    public int GetHashCode(IOpenApiSchema obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
