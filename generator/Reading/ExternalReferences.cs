using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using Specgen.Generator.Diagnostics;
using System.Runtime.CompilerServices;

namespace Specgen.Generator.Reading;

/// <summary>
/// Makes one self-contained document of a spec whose <c>$ref</c>s point into other files
/// (<c>$ref: Pet.json</c>, <c>parameters.json#/tagsParam</c>, <c>../common/Error.json</c>), before
/// the OpenAPI reader sees it: the reader then meets local references only. (Microsoft.OpenApi's
/// Swagger 2.0 reader throws IndexOutOfRangeException on a whole-file reference, and neither of its
/// readers can see the other AdditionalFiles.)
/// </summary>
/// <remarks>
/// <para>A schema from another file is copied once into the document's schemas (<c>definitions</c>
/// in 2.0, <c>components/schemas</c> in 3.x) under the name of its file or of its last pointer
/// segment, and every reference to it is pointed there, so that it is one generated type however
/// often it is used. Anything else (a parameter, a response, a path item, a whole map such as a
/// schema's properties) is copied in place of the reference. References inside a copied part are
/// resolved against the file it came from.
/// The copies are recorded as imports of the entry document, so that a diagnostic inside one is
/// reported in the file and on the line it came from.</para>
/// <para>When a file cannot be had (no such AdditionalFile, a URL, a file that does not parse),
/// each reference to it is a located SPEC002 and the part is left out: a schema becomes raw JSON,
/// a parameter is dropped, an operation whose body or response cannot be had is left out.</para>
/// </remarks>
internal sealed class ExternalReferences
{
    // Hops from one file to another while copying parts in place; only a cycle goes this deep.
    private const int MaxInlineDepth = 32;

    private readonly NormalizedDocument _entry;
    private readonly Func<string, string?>? _readFile;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hoisted = new(StringComparer.Ordinal);

    // Schemas moved from elsewhere in the entry into its schemas: old pointer -> new pointer.
    private readonly Dictionary<string, string> _promoted = new(StringComparer.Ordinal);
    private readonly Queue<Subtree> _pending = new();
    private readonly List<Action> _removals = new();

    // Finding out only whether anything changes: the first change throws ChangeNeeded instead.
    private readonly bool _dryRun;

    private ExternalReferences(NormalizedDocument entry, Func<string, string?>? readFile, CancellationToken cancellationToken, bool dryRun)
    {
        _entry = entry;
        _dryRun = dryRun;
        _readFile = readFile;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Resolves every reference of <paramref name="entry"/> that leaves the file (and every local
    /// one a bundler would move or copy), changing its copy of the tree, and returns what could
    /// not be resolved.
    /// </summary>
    /// <param name="readFile">
    /// The text of another file of the project by its full path, or null when the project has no
    /// such file. Null itself means that the caller cannot provide other files at all.
    /// </param>
    public static IReadOnlyList<DiagnosticInfo> Resolve(NormalizedDocument entry, Func<string, string?>? readFile, CancellationToken cancellationToken)
    {
        if (!entry.IsCopy)
        {
            // Most documents refer to nothing outside and to nothing a bundler would move: find out
            // on the tree as read, and copy it only when something changes.
            try
            {
                return new ExternalReferences(entry, readFile, cancellationToken, dryRun: true).Run();
            }
            catch (ChangeNeeded)
            {
                entry.CopyForChanges();
            }
        }

        return new ExternalReferences(entry, readFile, cancellationToken, dryRun: false).Run();
    }

    private IReadOnlyList<DiagnosticInfo> Run()
    {
        _pending.Enqueue(new Subtree(_entry.Root, string.Empty, SpecNodeKind.Root, _entry.Source, 0, null, null));
        while (_pending.Count > 0)
        {
            Subtree subtree = _pending.Dequeue();

            // A subtree is walked completely before anything in it changes.
            foreach (Site site in Collect(subtree))
            {
                Resolve(site);
            }
        }

        foreach (Action remove in _removals)
        {
            remove();
        }

        return _diagnostics;
    }

    /// <summary>Called before anything in the tree changes: in a dry run, ends it.</summary>
    private void BeforeChange()
    {
        if (_dryRun)
        {
            throw new ChangeNeeded();
        }
    }

    [MethodImpl(JitOptions.Optimized)]
    private List<Site> Collect(Subtree subtree)
    {
        var sites = new List<Site>();
        var stack = new Stack<Frame>();
        stack.Push(new Frame(subtree.Node, PointerPath.Of(subtree.Pointer), subtree.Kind, subtree.Parent, subtree.Operation));
        int visited = 0;
        while (stack.Count > 0)
        {
            if (++visited % 4096 == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            Frame frame = stack.Pop();
            if (frame.Node is JsonObject obj)
            {
                if ((SpecStructure.MayBeReference(frame.Kind) || (SpecStructure.MayBeMapReference(frame.Kind) && obj.Count == 1))
                    && obj.TryGetPropertyValue("$ref", out JsonNode? reference) && reference is JsonValue value && value.TryGetValue(out string? target))
                {
                    // Under a reference nothing else counts (3.1 allows summary and description beside it).
                    sites.Add(new Site(obj, frame.Pointer, frame.Kind, target, subtree.Source, subtree.InlineDepth, frame.Parent, frame.Operation));
                    continue;
                }

                Owner? operation = frame.Kind == SpecNodeKind.Operation && frame.Parent is { } self ? self : frame.Operation;
                foreach (KeyValuePair<string, JsonNode?> member in obj)
                {
                    SpecNodeKind kind = SpecStructure.Member(frame.Kind, member.Key);
                    if (kind != SpecNodeKind.Data && member.Value is not null)
                    {
                        stack.Push(new Frame(member.Value, frame.Pointer.Member(member.Key), kind, new Owner(obj, member.Key, null), operation));
                    }
                    else if (frame.Kind == SpecNodeKind.Root && member.Key is "info" or "tags")
                    {
                        // The document's and its tags' words, which the grammar above does not walk.
                        foreach ((JsonObject described, PointerPath pointer) in Described(member.Value, frame.Pointer.Member(member.Key)))
                        {
                            AddProseReferences(described, pointer, sites, subtree, operation);
                        }
                    }
                }

                if (SpecStructure.HasFixedFields(frame.Kind))
                {
                    AddProseReferences(obj, frame.Pointer, sites, subtree, operation);
                }
            }
            else if (frame.Node is JsonArray array)
            {
                SpecNodeKind kind = SpecStructure.Item(frame.Kind);
                if (kind == SpecNodeKind.Data)
                {
                    continue;
                }

                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        stack.Push(new Frame(item, frame.Pointer.Item(i), kind, new Owner(null, null, array), frame.Operation));
                    }
                }
            }
        }

        return sites;
    }

    private static IEnumerable<(JsonObject, PointerPath)> Described(JsonNode? node, PointerPath pointer)
    {
        if (node is JsonObject info)
        {
            yield return (info, pointer);
        }
        else if (node is JsonArray tags)
        {
            for (int i = 0; i < tags.Count; i++)
            {
                if (tags[i] is JsonObject tag)
                {
                    yield return (tag, pointer.Item(i));
                }
            }
        }
    }

    /// <summary>
    /// A description or summary written as a <c>$ref</c> (<c>description: {$ref: 'description.yml#/introduction'}</c>,
    /// as DigitalOcean keeps its long texts), which bundlers replace by the text it points to. Their
    /// value must be a string, so an object with only a string <c>$ref</c> there is a reference.
    /// </summary>
    private static void AddProseReferences(JsonObject owner, PointerPath pointer, List<Site> sites, Subtree subtree, Owner? operation)
    {
        foreach (string key in Prose.Keys)
        {
            if (owner.TryGetPropertyValue(key, out JsonNode? value) && value is JsonObject { Count: 1 } reference
                && reference["$ref"] is JsonValue text && text.TryGetValue(out string? target))
            {
                sites.Add(new Site(reference, pointer.Member(key), SpecNodeKind.Data, target, subtree.Source, subtree.InlineDepth, new Owner(owner, key, null), operation));
            }
        }
    }

    private void Resolve(Site site)
    {
        int hash = site.Reference.IndexOf('#');
        string file = hash < 0 ? site.Reference : site.Reference.Substring(0, hash);
        string fragment = hash < 0 ? string.Empty : Uri.UnescapeDataString(site.Reference.Substring(hash + 1));

        if (file.Length == 0 && ReferenceEquals(site.Source, _entry.Source))
        {
            ResolveLocal(site, fragment);
            return;
        }

        BeforeChange();

        if (file.Contains("://"))
        {
            Unresolved(site, $"The $ref '{site.Reference}' is a URL; Specgen never downloads, so save that document next to the spec and refer to it by a relative path");
            return;
        }

        string path = file.Length == 0 ? site.Source.Path : FilePaths.Combine(site.Source.Path, file);
        if (fragment.Length > 0 && fragment[0] != '/')
        {
            Unresolved(site, $"The $ref '{site.Reference}' names an anchor ('#{fragment}'), which Specgen does not resolve; use a JSON pointer ('#/...')");
            return;
        }

        // A reference to the entry by its own file name is a local one.
        if (string.Equals(path, _entry.Path, StringComparison.Ordinal))
        {
            site.Object["$ref"] = "#" + fragment;
            ResolveLocal(site, fragment);
            return;
        }

        if (Load(path, site) is not { } document)
        {
            return;
        }

        if (document.Find(fragment) is not { } target)
        {
            Unresolved(site, $"The $ref '{site.Reference}' points to nothing: {FilePaths.Relative(_entry.Path, path)} has no '#{fragment}'");
            return;
        }

        if (site.Kind == SpecNodeKind.Schema)
        {
            if (Hoist(document, fragment, target) is { } local)
            {
                site.Object["$ref"] = "#" + local;
            }
            else
            {
                Unresolved(site, $"The $ref '{site.Reference}' cannot be copied into the document, whose schemas member is not a map");
            }

            return;
        }

        if (site.InlineDepth >= MaxInlineDepth)
        {
            Unresolved(site, $"The $ref '{site.Reference}' is part of a cycle of references between files");
            return;
        }

        JsonNode copy = target.DeepClone();
        Replace(site, copy);
        _entry.CopiedFrom(site.Pointer, document, fragment);
        _pending.Enqueue(new Subtree(copy, site.Pointer, site.Kind, document, site.InlineDepth + 1, site.Parent, site.Operation));
    }

    /// <summary>
    /// A local reference of the entry, as a bundler takes it: one to where the OpenAPI reader looks
    /// for its kind (<c>#/components/parameters/limit</c>) stays for the reader; one into a component
    /// schema stays for the mappers; a schema anywhere else (<c>#/components/parameters/limit/schema</c>,
    /// a response's schema under <c>#/paths</c>) is moved into the document's schemas, with a
    /// reference left in its place, so that it is one type; and any other part (a parameter, a
    /// response, an operation, a path item) is copied in place of the reference.
    /// </summary>
    private void ResolveLocal(Site site, string fragment)
    {
        // A reference into a schema moved earlier now points into its new place.
        if (Rebase(fragment) is { } moved)
        {
            site.Object["$ref"] = "#" + moved;
            fragment = moved;
        }

        if (!CheckLocal(site, fragment) || fragment.Length == 0 || fragment[0] != '/' || IsReadersOwn(site.Kind, fragment))
        {
            return;
        }

        JsonNode target = _entry.Find(fragment)!;
        if (site.Kind == SpecNodeKind.Schema)
        {
            SpecNodeKind targetKind = KindAt(fragment);
            if (targetKind != SpecNodeKind.Schema)
            {
                Unresolved(site, $"The $ref '{site.Reference}' points to a {What(targetKind)}, not a schema");
                return;
            }

            BeforeChange();
            site.Object["$ref"] = "#" + Promote(fragment, target);
            return;
        }

        if (site.InlineDepth >= MaxInlineDepth)
        {
            Unresolved(site, $"The $ref '{site.Reference}' is part of a cycle of references");
            return;
        }

        BeforeChange();
        JsonNode copy = target.DeepClone();
        Replace(site, copy);
        _pending.Enqueue(new Subtree(copy, site.Pointer, site.Kind, _entry.Source, site.InlineDepth + 1, site.Parent, site.Operation));
    }

    /// <summary>Whether the OpenAPI reader resolves a reference of this kind to this place itself: its kind's component map, or a schema inside a component schema (which the mappers follow).</summary>
    private bool IsReadersOwn(SpecNodeKind kind, string fragment)
    {
        string[] segments = fragment.Substring(1).Split('/');
        bool swagger2 = _entry.Root is JsonObject root && root.ContainsKey("swagger");
        if (swagger2)
        {
            return (kind, segments.Length, segments[0]) switch
            {
                (SpecNodeKind.Schema, >= 2, "definitions") => true,
                (SpecNodeKind.Parameter, 2, "parameters") => true,
                (SpecNodeKind.Response, 2, "responses") => true,
                _ => false,
            };
        }

        if (segments.Length < 3 || segments[0] != "components")
        {
            return false;
        }

        string map = segments[1];
        return kind == SpecNodeKind.Schema
            ? map == "schemas"
            : segments.Length == 3 && (kind, map) switch
            {
                (SpecNodeKind.Parameter, "parameters") => true,
                (SpecNodeKind.Response, "responses") => true,
                (SpecNodeKind.RequestBody, "requestBodies") => true,
                (SpecNodeKind.Header, "headers") => true,
                (SpecNodeKind.PathItem, "pathItems") => true,
                (SpecNodeKind.Callback, "callbacks") => true,
                (SpecNodeKind.Other, "examples" or "links" or "securitySchemes") => true,
                _ => false,
            };
    }

    /// <summary>What the node at <paramref name="fragment"/> is, by the grammar of the path that leads to it.</summary>
    private static SpecNodeKind KindAt(string fragment)
    {
        SpecNodeKind kind = SpecNodeKind.Root;
        foreach (string raw in fragment.Substring(1).Split('/'))
        {
            string segment = Unescape(raw);
            kind = int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) && SpecStructure.Item(kind) != SpecNodeKind.Data
                ? SpecStructure.Item(kind)
                : SpecStructure.Member(kind, segment);
        }

        return kind;
    }

    /// <summary>
    /// Moves the schema at <paramref name="fragment"/> into the document's schemas (once) and leaves
    /// a reference to it in its place; returns its new pointer.
    /// </summary>
    private string Promote(string fragment, JsonNode target)
    {
        if (_promoted.TryGetValue(fragment, out string? done))
        {
            return done;
        }

        if (SchemasOfEntry() is not (JsonObject schemas, string schemasPointer))
        {
            return fragment;
        }

        string wanted = PromotedName(fragment);
        string name = wanted;
        for (int i = 2; schemas.ContainsKey(name); i++)
        {
            name = wanted + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string pointer = schemasPointer + "/" + Escape(name);
        Owner place = OwnerOf(fragment);
        var reference = new JsonObject { ["$ref"] = "#" + pointer };
        if (place.Array is { } array)
        {
            array[array.IndexOf(target)] = reference;
        }
        else
        {
            place.Object![place.Key!] = reference;
        }

        schemas[name] = target;
        _entry.CameFrom(pointer, fragment);
        _promoted[fragment] = pointer;
        return pointer;
    }

    /// <summary>The pointer a reference into a moved schema now has, or null when it points into none.</summary>
    private string? Rebase(string fragment)
    {
        foreach (KeyValuePair<string, string> moved in _promoted)
        {
            if (fragment.StartsWith(moved.Key, StringComparison.Ordinal) && (fragment.Length == moved.Key.Length || fragment[moved.Key.Length] == '/'))
            {
                return moved.Value + fragment.Substring(moved.Key.Length);
            }
        }

        return null;
    }

    /// <summary>
    /// A name for a schema moved into the document's schemas, from the place it was: the parameter,
    /// response, request body or header it belonged to, or the operation and its part.
    /// </summary>
    private string PromotedName(string fragment)
    {
        string[] segments = fragment.Substring(1).Split('/').Select(Unescape).ToArray();
        if (segments.Length >= 3 && segments[0] == "components")
        {
            return Pascal(segments[2]);
        }

        if (segments.Length >= 3 && segments[0] is "paths" or "webhooks"
            && _entry.Find("/" + string.Join("/", segments.Take(3).Select(Escape))) is JsonObject operation)
        {
            string owner = operation["operationId"] is JsonValue id && id.TryGetValue(out string? text) ? text : segments[2] + " " + segments[1];
            string part = segments.Length > 3 ? segments[3] switch
            {
                "requestBody" => "Request",
                "responses" => "Response",
                "parameters" when segments.Length > 4 && operation["parameters"] is JsonArray list
                    && int.TryParse(segments[4], out int index) && index < list.Count && list[index]?["name"] is JsonValue parameter && parameter.TryGetValue(out string? parameterName) => parameterName,
                _ => segments[3],
            } : string.Empty;
            return Pascal(owner + " " + part);
        }

        return Pascal(segments.LastOrDefault(s => s is not ("schema" or "content" or "items")) ?? "Schema");
    }

    private Owner OwnerOf(string fragment)
    {
        int slash = fragment.LastIndexOf('/');
        string key = Unescape(fragment.Substring(slash + 1));
        JsonNode? parent = _entry.Find(fragment.Substring(0, slash));
        return parent is JsonArray array ? new Owner(null, null, array) : new Owner((JsonObject)parent!, key, null);
    }

    private static string Pascal(string text)
    {
        var name = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return name.Length == 0 ? "Schema" : name.ToString();
    }

    /// <summary>
    /// A local reference of the entry is the OpenAPI reader's business, except where the reader
    /// fails on it: a chain of references that comes back to itself (Microsoft.OpenApi throws
    /// InvalidOperationException when it meets one), and a reference to nothing where no schema is
    /// expected (the reader leaves a parameter with no name and no place, for instance). A schema
    /// that refers to nothing is left to the mapper, which reports it and keeps the value as raw JSON.
    /// </summary>
    /// <returns>Whether the reference leads somewhere (false when it was reported, or left to the mappers to report).</returns>
    private bool CheckLocal(Site site, string fragment)
    {
        var chain = new List<string> { fragment };
        string current = fragment;
        while (true)
        {
            if (current.Length > 0 && current[0] != '/')
            {
                return false;
            }

            JsonNode? target = _entry.Find(current);
            if (target is null)
            {
                if (site.Kind != SpecNodeKind.Schema)
                {
                    Unresolved(site, $"The $ref '{site.Reference}' points to nothing{(chain.Count > 1 ? $" (through {Chain(chain)})" : string.Empty)}");
                }

                return false;
            }

            if (target is not JsonObject obj || !obj.TryGetPropertyValue("$ref", out JsonNode? next) || next is not JsonValue value
                || !value.TryGetValue(out string? reference) || !reference.StartsWith("#", StringComparison.Ordinal))
            {
                return true;
            }

            current = Rebase(Uri.UnescapeDataString(reference.Substring(1))) ?? Uri.UnescapeDataString(reference.Substring(1));
            if (chain.Contains(current))
            {
                chain.Add(current);
                Unresolved(site, $"The $ref '{site.Reference}' leads back to itself through references alone ({Chain(chain)}), so it stands for no {What(site.Kind)}");
                return false;
            }

            chain.Add(current);
        }
    }

    private static string Chain(List<string> pointers) => string.Join(" -> ", pointers.Select(p => "#" + p));

    private static string What(SpecNodeKind kind) => kind switch
    {
        SpecNodeKind.Schema => "schema",
        SpecNodeKind.Parameter => "parameter",
        SpecNodeKind.Response => "response",
        SpecNodeKind.RequestBody => "request body",
        SpecNodeKind.PathItem => "path item",
        SpecNodeKind.Header => "header",
        SpecNodeKind.Operation => "operation",
        _ => "value",
    };

    /// <summary>The pointer, in the entry, of the schema copied from <paramref name="document"/> at <paramref name="fragment"/>; null when the entry has no place for schemas.</summary>
    private string? Hoist(SpecDocument document, string fragment, JsonNode target)
    {
        string key = document.Path + "#" + fragment;
        if (_hoisted.TryGetValue(key, out string? existing))
        {
            return existing;
        }

        if (SchemasOfEntry() is not (JsonObject schemas, string schemasPointer))
        {
            return null;
        }

        string wanted = fragment.Length > 0 ? Unescape(fragment.Substring(fragment.LastIndexOf('/') + 1)) : FilePaths.Stem(document.Path);
        if (wanted.Length == 0)
        {
            wanted = "Schema";
        }

        string name = wanted;
        for (int i = 2; schemas.ContainsKey(name); i++)
        {
            name = wanted + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        JsonNode copy = target.DeepClone();
        schemas[name] = copy;
        string pointer = schemasPointer + "/" + Escape(name);
        _hoisted[key] = pointer;
        _entry.CopiedFrom(pointer, document, fragment);
        _pending.Enqueue(new Subtree(copy, pointer, SpecNodeKind.Schema, document, 0, new Owner(schemas, name, null), null));
        return pointer;
    }

    private (JsonObject Schemas, string Pointer)? SchemasOfEntry()
    {
        if (_entry.Root is not JsonObject root)
        {
            return null;
        }

        if (root.ContainsKey("swagger"))
        {
            return Child(root, "definitions") is { } definitions ? (definitions, "/definitions") : null;
        }

        return Child(root, "components") is { } components && Child(components, "schemas") is { } schemas ? (schemas, "/components/schemas") : null;
    }

    private static JsonObject? Child(JsonObject parent, string name)
    {
        if (!parent.TryGetPropertyValue(name, out JsonNode? node) || node is null)
        {
            var created = new JsonObject();
            parent[name] = created;
            return created;
        }

        return node as JsonObject;
    }

    private SpecDocument? Load(string path, Site site)
    {
        if (!_files.TryGetValue(path, out FileState? state))
        {
            state = Read(path);
            _files[path] = state;
        }

        if (state.Document is null)
        {
            Unresolved(site, $"The $ref '{site.Reference}' points into {state.Problem}");
        }

        return state.Document;
    }

    /// <summary>Reads another file of the spec once; a file that cannot be read is reported once, there.</summary>
    private FileState Read(string path)
    {
        string relative = FilePaths.Relative(_entry.Path, path);
        string? text = _readFile?.Invoke(path);
        if (text is null)
        {
            return new FileState(null, _readFile is null
                ? $"another file, {relative}, and no other file of the project was given to Specgen"
                : $"{relative}, which is not an AdditionalFiles item of the project; add it");
        }

        try
        {
            return new FileState(SpecReader.Read(path, text), null);
        }
        catch (SpecReadException ex)
        {
            string id = ex is SpecLimitException ? DiagnosticDescriptors.LimitExceeded.Id : DiagnosticDescriptors.SyntaxError.Id;
            _diagnostics.Add(new DiagnosticInfo(id, $"{relative}, which the spec refers to, cannot be read: {ex.Message}", relative + "#", new LocationInfo(path, ex.Line, ex.Column)));
            return new FileState(null, $"{relative}, which cannot be read (see the diagnostic there)");
        }
    }

    /// <summary>Reports <paramref name="detail"/> at the reference and leaves out what it stood for.</summary>
    private void Unresolved(Site site, string detail)
    {
        BeforeChange();
        string consequence;
        switch (site.Kind)
        {
            case SpecNodeKind.Schema:
                site.Object.Remove("$ref");
                consequence = "the value is kept as raw JSON";
                break;
            case SpecNodeKind.Response or SpecNodeKind.RequestBody when site.Operation is { } operation:
                _removals.Add(() => operation.Object!.Remove(operation.Key!));
                consequence = $"the operation at {_entry.Describe(PointerOfOperation(site.Pointer, site.Kind))} is left out";
                break;
            default:
                Owner parent = site.Parent!.Value;
                JsonObject self = site.Object;
                _removals.Add(() =>
                {
                    if (parent.Array is { } array)
                    {
                        array.Remove(self);
                    }
                    else
                    {
                        parent.Object!.Remove(parent.Key!);
                    }
                });
                consequence = site.Kind switch
                {
                    SpecNodeKind.Parameter => "the parameter is left out",
                    SpecNodeKind.PathItem => "the path and its operations are left out",
                    SpecNodeKind.Operation => "the operation is left out",
                    _ => "it is left out",
                };
                break;
        }

        _diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnresolvedReference.Id, detail + "; " + consequence, _entry.Describe(site.Pointer), _entry.Locate(site.Pointer)) { DetailIsComplete = true });
    }

    private static string PointerOfOperation(string pointer, SpecNodeKind kind)
    {
        string marker = kind == SpecNodeKind.RequestBody ? "/requestBody" : "/responses/";
        int at = pointer.LastIndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? pointer : pointer.Substring(0, at);
    }

    private static void Replace(Site site, JsonNode copy)
    {
        Owner parent = site.Parent!.Value;
        if (parent.Array is { } array)
        {
            array[array.IndexOf(site.Object)] = copy;
        }
        else
        {
            parent.Object![parent.Key!] = copy;
        }
    }

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string Unescape(string segment) => segment.Replace("~1", "/").Replace("~0", "~");

    /// <summary>A part of a document to look for references in, and the file its relative references are relative to.</summary>
    private sealed record Subtree(JsonNode Node, string Pointer, SpecNodeKind Kind, SpecDocument Source, int InlineDepth, Owner? Parent, Owner? Operation);

    /// <summary>Another file of the spec: its document, or why there is none.</summary>
    private sealed record FileState(SpecDocument? Document, string? Problem);

    /// <summary>Where a node hangs: a member of an object, or an item of an array.</summary>
    private readonly record struct Owner(JsonObject? Object, string? Key, JsonArray? Array);

    private readonly record struct Frame(JsonNode Node, PointerPath Pointer, SpecNodeKind Kind, Owner? Parent, Owner? Operation);

    /// <summary>A <c>$ref</c> object met in a walk.</summary>
    /// <param name="path">Its place in the entry document (after copies, the place of the copy).</param>
    /// <param name="operation">The operation it belongs to (the path item and the method), if any.</param>
    private sealed class Site(JsonObject obj, PointerPath path, SpecNodeKind kind, string reference, SpecDocument source, int inlineDepth, Owner? parent, Owner? operation)
    {
        private string? _pointer;

        public JsonObject Object { get; } = obj;

        public PointerPath Path { get; } = path;

        /// <summary>
        /// <see cref="Path"/> written out, on first use: most references are local ones that are
        /// only checked, and a large document has thousands.
        /// </summary>
        public string Pointer => _pointer ??= Path.ToString();

        public SpecNodeKind Kind { get; } = kind;

        public string Reference { get; } = reference;

        public SpecDocument Source { get; } = source;

        public int InlineDepth { get; } = inlineDepth;

        public Owner? Parent { get; } = parent;

        public Owner? Operation { get; } = operation;
    }

    /// <summary>Ends a dry run at its first change.</summary>
    private sealed class ChangeNeeded : Exception
    {
    }
}
