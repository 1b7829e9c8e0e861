using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Finds how a list operation pages, so that it gets an <c>…AutoPagingAsync</c> method: from the
/// common shapes of the response and parameters, or from our <c>x-specgen-paging</c> extension
/// where the shape cannot be seen (or is seen wrongly: <c>x-specgen-paging: false</c> turns it off).
/// </summary>
/// <remarks>
/// <code>
/// x-specgen-paging:
///   kind: cursor          # cursor | link | offset | page
///   items: data           # the member with the page's items; left out when the body is the array
///   next: meta.next       # cursor: the member with the next cursor; link: the member with the next
///                         #   page's URL, or `header` for an RFC 8288 Link header
///   parameter: cursor     # cursor, offset, page: the query parameter the position goes into
///   hasMore: has_more     # cursor (optional): a boolean that must be true for another page
///   total: meta.total     # offset, page (optional): the number of items in the whole list
///   totalPages: pages     # page (optional): the number of pages
/// </code>
/// Members are written as JSON names joined by dots (<c>response_metadata.next_cursor</c>). A
/// cursor without <c>next</c> is the last item's <c>id</c> (Stripe's <c>starting_after</c>).
/// </remarks>
internal sealed class PagingMapper(MappingContext context)
{
    public const string Extension = "x-specgen-paging";

    // The members a list's items are commonly in, when the body is not the array itself.
    private static readonly string[] ItemMembers = { "data", "items", "results", "values", "value", "entries", "records", "elements", "list" };

    private static readonly HashSet<string> NotItems = new(StringComparer.Ordinal) { "warnings", "errors" };

    private static readonly string[][] LinkMembers =
    {
        new[] { "links", "next" }, new[] { "_links", "next", "href" }, new[] { "_links", "next" }, new[] { "links", "next", "href" },
        new[] { "next_page_url" }, new[] { "nextPageUrl" }, new[] { "next_url" }, new[] { "nextUrl" }, new[] { "nextLink" },
        new[] { "@odata.nextLink" }, new[] { "odata.nextLink" }, new[] { "paging", "next" }, new[] { "pagination", "next" },
        new[] { "meta", "next" }, new[] { "next_page_uri" }, new[] { "nextPageUri" }, new[] { "meta", "next_page_url" }, new[] { "next" },
    };

    private static readonly string[][] CursorMembers =
    {
        new[] { "next_cursor" }, new[] { "nextCursor" }, new[] { "next_page_token" }, new[] { "nextPageToken" },
        new[] { "response_metadata", "next_cursor" }, new[] { "meta", "next_cursor" }, new[] { "meta", "nextCursor" },
        new[] { "pagination", "next_cursor" }, new[] { "pagination", "nextCursor" }, new[] { "next_token" }, new[] { "nextToken" },
        new[] { "continuation_token" }, new[] { "continuationToken" }, new[] { "next_page", "offset" },
    };

    private static readonly string[] CursorParameters = { "cursor", "page_token", "pageToken", "token", "continuation_token", "continuationToken", "after", "starting_after" };

    private static readonly string[][] TotalMembers =
    {
        new[] { "total" }, new[] { "total_count" }, new[] { "totalCount" }, new[] { "total_results" }, new[] { "totalResults" },
        new[] { "total_items" }, new[] { "totalItems" }, new[] { "total_elements" }, new[] { "totalElements" }, new[] { "meta", "total" }, new[] { "meta", "total_count" }, new[] { "meta", "totalCount" },
        new[] { "pagination", "total" }, new[] { "pagination", "total_count" }, new[] { "pagination", "totalCount" },
        new[] { "num_results" }, new[] { "list_info", "num_results" },
    };

    private static readonly string[][] TotalPageMembers =
    {
        new[] { "total_pages" }, new[] { "totalPages" }, new[] { "page_count" }, new[] { "pageCount" }, new[] { "last_page" }, new[] { "lastPage" },
        new[] { "meta", "total_pages" }, new[] { "meta", "totalPages" }, new[] { "meta", "last_page" },
        new[] { "pagination", "total_pages" }, new[] { "pagination", "totalPages" }, new[] { "pagination", "last_page" },
        new[] { "num_pages" }, new[] { "list_info", "num_pages" },
    };

    /// <summary>The pager of an operation that returns <paramref name="response"/> as JSON, or null when it does not page.</summary>
    public PagerModel? Find(OpenApiOperation operation, HttpMethod method, TypeRef response, List<ParameterModel> parameters, string pointer)
    {
        if (operation.Extensions is { } extensions && extensions.TryGetValue(Extension, out IOpenApiExtension? extension))
        {
            JsonNode? node = (extension as JsonNodeExtension)?.Node;
            if (node is JsonValue value && value.TryGetValue(out bool enabled) && !enabled)
            {
                return null;
            }

            if (node is JsonObject settings)
            {
                return Declared(settings, operation, method, response, parameters, $"{pointer}/{Extension}");
            }

            return Invalid($"{pointer}/{Extension}", "write an object with 'kind' (cursor, link, offset or page), or false to turn paging off");
        }

        return method == HttpMethod.Get ? Detected(operation, response, parameters) : null;
    }

    private PagerModel? Detected(OpenApiOperation operation, TypeRef response, List<ParameterModel> parameters)
    {
        ObjectModel? page = Page(response);
        if (Items(response, page) is not { } items)
        {
            return null;
        }

        if (page is not null)
        {
            // has_more with the last id: OpenAI's last_id + after, Stripe's last item + starting_after.
            if (Member(page, TypeKind.Boolean, new[] { "has_more" }, new[] { "hasMore" }) is { } hasMore
                && Query(parameters, TypeKind.String, "after", "starting_after", "startingAfter") is { } after)
            {
                if (Member(page, TypeKind.String, new[] { "last_id" }, new[] { "lastId" }) is { } lastId)
                {
                    return Cursor(items, lastId, hasMore, null, after, $"{Code(hasMore)} and {Code(lastId)}");
                }

                if (IdOf(items.Item) is { } id)
                {
                    return Cursor(items, null, hasMore, id.Name, after, $"{Code(hasMore)} and the last item's {Code(id.JsonName)}, into {Code(after.JsonName)}");
                }
            }

            if (Member(page, TypeKind.String, CursorMembers) is { } cursor && CursorParameter(parameters, cursor.Json.Last()) is { } parameter)
            {
                return Cursor(items, cursor, null, null, parameter, $"{Code(cursor)} into {Code(parameter.JsonName)}");
            }

            if (Member(page, TypeKind.String, LinkMembers) is { } link)
            {
                // A bare `next` is a cursor when the operation takes it back as one.
                if (link.Json.Count == 1 && link.Json[0] == "next" && Query(parameters, TypeKind.String, "next", "cursor") is { } nextParameter)
                {
                    return Cursor(items, link, null, null, nextParameter, $"{Code(link)} into {Code(nextParameter.JsonName)}");
                }

                return Link(items, link, $"the link in {Code(link)}");
            }
        }

        if (DeclaresLinkHeader(operation))
        {
            return Link(items, null, "the <c>Link</c> header's <c>next</c> link");
        }

        if (page is not null && Query(parameters, null, "offset", "skip") is { } offset)
        {
            Path? total = Member(page, null, TotalMembers);
            return Numbered(PagingKind.Offset, items, offset, total, null, 0, total is null ? $"{Code(offset.JsonName)} to an empty page" : $"{Code(offset.JsonName)} to {Code(total)}");
        }

        if (page is not null && Query(parameters, null, "page", "page_number", "pageNumber") is { } number)
        {
            Path? totalPages = Member(page, null, TotalPageMembers);
            Path? total = Member(page, null, TotalMembers);
            string until = totalPages is not null ? Code(totalPages) : total is not null ? Code(total) : "an empty page";
            return Numbered(PagingKind.PageNumber, items, number, total, totalPages, FirstPage(operation, number), $"{Code(number.JsonName)} to {until}");
        }

        return null;
    }

    private PagerModel? Declared(JsonObject settings, OpenApiOperation operation, HttpMethod method, TypeRef response, List<ParameterModel> parameters, string pointer)
    {
        ObjectModel? page = Page(response);
        string? itemsPath = JsonText.Of(settings["items"]);
        ItemsAt? items = itemsPath is null ? Items(response, null, bareOnly: true) : Declared(page, itemsPath, TypeKind.Array) is { } path ? new ItemsAt(path, path.Type.Element!) : null;
        if (items is null)
        {
            return Invalid(pointer, itemsPath is null
                ? "'items' must name the array member of the response (it can be left out only when the body is an array)"
                : $"'items' ({itemsPath}) is not an array member of the response");
        }

        string? kind = JsonText.Of(settings["kind"]);
        string? nextPath = JsonText.Of(settings["next"]);
        switch (kind)
        {
            case "link":
                if (method != HttpMethod.Get)
                {
                    return Invalid(pointer, "a 'link' walk follows URLs with GET, so the operation must be a GET");
                }

                if (nextPath is null || nextPath == "header")
                {
                    return Link(items, null, "the <c>Link</c> header's <c>next</c> link");
                }

                return Declared(page, nextPath, TypeKind.String) is { } link
                    ? Link(items, link, $"the link in {Code(link)}")
                    : Invalid(pointer, $"'next' ({nextPath}) is not a string member of the response; write `header` for a Link header");

            case "cursor":
            {
                if (DeclaredParameter(settings, parameters, TypeKind.String) is not { } parameter)
                {
                    return Invalid(pointer, "'parameter' must name a string query parameter of the operation");
                }

                Path? hasMore = null;
                if (JsonText.Of(settings["hasMore"]) is { } hasMorePath && (hasMore = Declared(page, hasMorePath, TypeKind.Boolean)) is null)
                {
                    return Invalid(pointer, $"'hasMore' ({hasMorePath}) is not a boolean member of the response");
                }

                if (nextPath is null)
                {
                    return IdOf(items.Item) is { } id && hasMore is not null
                        ? Cursor(items, null, hasMore, id.Name, parameter, $"{Code(hasMore)} and the last item's {Code(id.JsonName)}, into {Code(parameter.JsonName)}")
                        : Invalid(pointer, "without 'next', the cursor is the last item's string 'id', and 'hasMore' must say when to stop");
                }

                return Declared(page, nextPath, TypeKind.String) is { } next
                    ? Cursor(items, next, hasMore, null, parameter, hasMore is null ? $"{Code(next)} into {Code(parameter.JsonName)}" : $"{Code(hasMore)} and {Code(next)}, into {Code(parameter.JsonName)}")
                    : Invalid(pointer, $"'next' ({nextPath}) is not a string member of the response");
            }

            case "offset":
            case "page":
            {
                if (DeclaredParameter(settings, parameters, null) is not { } parameter)
                {
                    return Invalid(pointer, "'parameter' must name an integer query parameter of the operation");
                }

                Path? total = null;
                Path? totalPages = null;
                if (JsonText.Of(settings["total"]) is { } totalPath && (total = Declared(page, totalPath, null)) is null)
                {
                    return Invalid(pointer, $"'total' ({totalPath}) is not an integer member of the response");
                }

                if (JsonText.Of(settings["totalPages"]) is { } pagesPath && (kind == "offset" || (totalPages = Declared(page, pagesPath, null)) is null))
                {
                    return Invalid(pointer, kind == "offset" ? "'totalPages' belongs to a 'page' walk" : $"'totalPages' ({pagesPath}) is not an integer member of the response");
                }

                string until = totalPages is not null ? Code(totalPages) : total is not null ? Code(total) : "an empty page";
                return kind == "offset"
                    ? Numbered(PagingKind.Offset, items, parameter, total, null, 0, $"{Code(parameter.JsonName)} to {until}")
                    : Numbered(PagingKind.PageNumber, items, parameter, total, totalPages, FirstPage(operation, parameter), $"{Code(parameter.JsonName)} to {until}");
            }

            default:
                return Invalid(pointer, "'kind' must be cursor, link, offset or page");
        }
    }

    private PagerModel? Invalid(string pointer, string problem)
    {
        context.IgnoreExtension(Extension, problem, pointer);
        return null;
    }

    /// <summary>A chain of members from the page: their JSON names (for the docs), C# names, and the type at the end.</summary>
    private sealed record Path(EquatableArray<string> Json, EquatableArray<string> Names, TypeRef Type);

    private sealed record ItemsAt(Path Path, TypeRef Item);

    private static PagerModel Cursor(ItemsAt items, Path? next, Path? hasMore, string? itemId, ParameterModel parameter, string follows) =>
        new(PagingKind.Cursor, items.Item, items.Path.Names, next?.Names, hasMore?.Names, itemId, parameter, null, null, 0, follows);

    private static PagerModel Link(ItemsAt items, Path? next, string follows) =>
        new(PagingKind.Link, items.Item, items.Path.Names, next?.Names, null, null, null, null, null, 0, follows);

    private static PagerModel Numbered(PagingKind kind, ItemsAt items, ParameterModel parameter, Path? total, Path? totalPages, long firstPage, string follows) =>
        new(kind, items.Item, items.Path.Names, null, null, null, parameter, total?.Names, totalPages?.Names, firstPage, follows);

    private ObjectModel? Page(TypeRef response) =>
        response.Kind == TypeKind.Object ? context.Types.Named<ObjectModel>(response.Name) : null;

    private ItemsAt? Items(TypeRef response, ObjectModel? page, bool bareOnly = false)
    {
        if (response.Kind == TypeKind.Array)
        {
            return new ItemsAt(new Path(EquatableArray<string>.Empty, EquatableArray<string>.Empty, response), response.Element!);
        }

        if (page is null || bareOnly)
        {
            return null;
        }

        // Warnings and errors beside a page's items are about the response, not items of the list.
        List<PropertyModel> arrays = page.Properties.Where(p => p.Type.Kind == TypeKind.Array && !p.WriteOnly && !NotItems.Contains(p.JsonName)).ToList();
        PropertyModel? items = ItemMembers.Select(name => arrays.FirstOrDefault(p => p.JsonName == name)).FirstOrDefault(p => p is not null)
            ?? (arrays.Count == 1 ? arrays[0] : null);
        return items is null ? null : new ItemsAt(One(items), items.Type.Element!);
    }

    private static Path One(PropertyModel property) =>
        new(new[] { property.JsonName }.ToEquatableArray(), new[] { property.Name }.ToEquatableArray(), property.Type);

    /// <summary>The first of <paramref name="candidates"/> the page has, of <paramref name="kind"/> (null: any integer).</summary>
    private Path? Member(ObjectModel page, TypeKind? kind, params string[][] candidates) =>
        candidates.Select(path => Resolve(page, path, kind)).FirstOrDefault(found => found is not null);

    /// <summary>A member written in the extension as JSON names joined by dots (a name with a dot of its own is tried whole first).</summary>
    private Path? Declared(ObjectModel? page, string dotted, TypeKind? kind)
    {
        if (page is null)
        {
            return null;
        }

        string[] parts = dotted.Split('.');
        // Every way of joining neighbouring parts back together, fewest members first.
        for (int members = 1; members <= parts.Length; members++)
        {
            foreach (string[] split in Splits(parts, members))
            {
                if (Resolve(page, split, kind) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string[]> Splits(string[] parts, int members)
    {
        if (members == 1)
        {
            yield return new[] { string.Join(".", parts) };
            yield break;
        }

        for (int first = 1; first <= parts.Length - members + 1; first++)
        {
            string head = string.Join(".", parts.Take(first));
            foreach (string[] rest in Splits(parts.Skip(first).ToArray(), members - 1))
            {
                yield return new[] { head }.Concat(rest).ToArray();
            }
        }
    }

    private Path? Resolve(ObjectModel page, string[] path, TypeKind? kind)
    {
        ObjectModel current = page;
        var names = new List<string>();
        for (int i = 0; i < path.Length; i++)
        {
            PropertyModel? property = current.Properties.FirstOrDefault(p => p.JsonName == path[i] && !p.WriteOnly);
            if (property is null)
            {
                return null;
            }

            names.Add(property.Name);
            if (i == path.Length - 1)
            {
                bool fits = kind is { } wanted ? property.Type.Kind == wanted : property.Type.Kind is TypeKind.Int32 or TypeKind.Int64;
                return fits ? new Path(path.ToEquatableArray(), names.ToEquatableArray(), property.Type) : null;
            }

            if (property.Type.Kind != TypeKind.Object || context.Types.Named<ObjectModel>(property.Type.Name) is not { } next)
            {
                return null;
            }

            current = next;
        }

        return null;
    }

    /// <summary>The item's string <c>id</c>, whose last value is the cursor of a <c>has_more</c> list without <c>last_id</c>.</summary>
    private PropertyModel? IdOf(TypeRef item) =>
        item.Kind == TypeKind.Object && context.Types.Named<ObjectModel>(item.Name) is { } model
            ? model.Properties.FirstOrDefault(p => p.JsonName == "id" && p.Type.Kind == TypeKind.String && !p.WriteOnly)
            : null;

    /// <summary>The parameter a cursor member goes back into: its name without "next" (<c>nextPageToken</c> to <c>pageToken</c>), else a usual one.</summary>
    private static ParameterModel? CursorParameter(List<ParameterModel> parameters, string member)
    {
        string wanted = Normal(member).StartsWith("next", StringComparison.Ordinal) ? Normal(member).Substring(4) : Normal(member);
        return parameters.FirstOrDefault(p => IsQuery(p, TypeKind.String) && Normal(p.JsonName) == wanted)
            ?? Query(parameters, TypeKind.String, CursorParameters);
    }

    private static string Normal(string name) => name.Replace("_", string.Empty).Replace("-", string.Empty).ToLowerInvariant();

    /// <summary>The first query argument named one of <paramref name="names"/>, of <paramref name="kind"/> (null: an integer).</summary>
    private static ParameterModel? Query(List<ParameterModel> parameters, TypeKind? kind, params string[] names) =>
        names.Select(name => parameters.FirstOrDefault(p => p.JsonName == name && IsQuery(p, kind))).FirstOrDefault(p => p is not null);

    private static bool IsQuery(ParameterModel parameter, TypeKind? kind) =>
        parameter.In == ParameterIn.Query && parameter.IsArgument
        && (kind is { } wanted ? parameter.Type.Kind == wanted : parameter.Type.Kind is TypeKind.Int32 or TypeKind.Int64);

    private static ParameterModel? DeclaredParameter(JsonObject settings, List<ParameterModel> parameters, TypeKind? kind) =>
        JsonText.Of(settings["parameter"]) is { } name ? Query(parameters, kind, name) : null;

    private static bool DeclaresLinkHeader(OpenApiOperation operation) =>
        operation.Responses is { } responses
        && responses.Any(r => r.Key.StartsWith("2", StringComparison.Ordinal) && r.Value.Headers is { } headers
            && headers.Keys.Any(h => h.Equals("Link", StringComparison.OrdinalIgnoreCase)));

    /// <summary>How the API numbers its first page: 0 when the parameter's default or minimum says so, else 1.</summary>
    private static long FirstPage(OpenApiOperation operation, ParameterModel parameter)
    {
        IOpenApiSchema? schema = operation.Parameters?.FirstOrDefault(p => p.Name == parameter.JsonName && p.In == ParameterLocation.Query)?.Schema;
        bool zero = parameter.Default == "0" || schema?.Minimum == "0";
        return zero ? 0 : 1;
    }

    private static string Code(Path path) => Code(string.Join(".", path.Json));

    private static string Code(PropertyModel property) => Code(property.JsonName);

    private static string Code(string name) => $"<c>{name.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")}</c>";
}
