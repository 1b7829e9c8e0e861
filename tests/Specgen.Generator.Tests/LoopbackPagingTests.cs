using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.CodeAnalysis;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// Every paging shape of the <c>Paging</c> scenario, walked by its generated <c>…AutoPagingAsync</c>
/// over real Kestrel: what each page's request carries, which items come out, where the walk stops.
/// The server hands out ids <c>i1</c>, <c>i2</c>, … from a list of five in pages of two.
/// </summary>
public sealed class LoopbackPagingTests : IClassFixture<LoopbackPagingTests.PagingClient>
{
    private const int ListSize = 5;
    private const int PageSize = 2;
    private static readonly string[] Everything = { "i1", "i2", "i3", "i4", "i5" };

    private readonly GeneratedAssembly _generated;

    public LoopbackPagingTests(PagingClient fixture) => _generated = fixture.Generated;

    [Fact]
    public async Task Has_more_with_the_last_items_id_goes_back_as_starting_after()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = After(context.Request.Query["starting_after"]);
            (string items, bool more) = Page(start);
            return Json(context, $$"""{"object":"list","data":{{items}},"has_more":{{(more ? "true" : "false")}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListChargesAutoPagingAsync", null, null);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { string.Empty, "?starting_after=i2", "?starting_after=i4" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task A_cursor_in_response_metadata_goes_back_as_cursor_until_it_comes_back_empty()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["cursor"]);
            (string items, bool more) = Page(start);
            return Json(context, $$$"""{"ok":true,"channels":{{{items}}},"response_metadata":{"next_cursor":"{{{(more ? "c" + (start + PageSize) : string.Empty)}}}"}}""");
        });

        List<string> ids = await WalkAsync(server, "ListChannelsAutoPagingAsync", null, 10L);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?limit=10", "?cursor=c2&limit=10", "?cursor=c4&limit=10" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task A_next_page_token_goes_back_as_page_token_until_the_page_has_none()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["pageToken"]);
            (string items, bool more) = Page(start);
            string token = more ? $$""","nextPageToken":"c{{start + PageSize}}" """ : string.Empty;
            return Json(context, $$"""{"files":{{items}}{{token}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListFilesAutoPagingAsync", null, null);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { string.Empty, "?pageToken=c2", "?pageToken=c4" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task Links_in_the_body_are_followed_relative_or_absolute_with_the_first_requests_headers_and_no_repeated_query()
    {
        Uri? origin = null;
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["from"]);
            (string items, bool more) = Page(start);
            // The first link is relative to the page, the second absolute; both carry the query along.
            string next = !more ? "null" : start == 0 ? "\"/repos?from=c2&per_page=2&trace=on\"" : $"\"{origin}repos?from=c4&per_page=2&trace=on\"";
            return Json(context, $$$"""{"data":{{{items}}},"links":{"next":{{{next}}}}}""");
        });
        origin = server.BaseAddress;
        var options = new RequestOptions { QueryParameters = { new KeyValuePair<string, string>("trace", "on") } };

        List<string> ids = await WalkAsync(server, "ListReposAutoPagingAsync", new object?[] { 2L, "tenant-7", options });

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?per_page=2&trace=on", "?from=c2&per_page=2&trace=on", "?from=c4&per_page=2&trace=on" }, server.Seen.Select(s => s.Query));
        Assert.All(server.Seen, seen => Assert.Equal("tenant-7", seen.Header("X-Tenant")));
        Assert.All(server.Seen, seen => Assert.Equal("/repos", seen.Path));
    }

    [Fact]
    public async Task A_HAL_next_href_is_followed()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["from"]);
            (string items, bool more) = Page(start);
            string links = more ? $$$""","_links":{"next":{"href":"/orders?from=c{{{start + PageSize}}}"}}""" : ""","_links":{}""";
            context.Response.ContentType = "application/hal+json";
            return context.Response.WriteAsync($$"""{"items":{{items}}{{links}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListOrdersAutoPagingAsync");

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { string.Empty, "?from=c2", "?from=c4" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task Twilios_next_page_uri_is_followed_from_the_origin()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["PageToken"]);
            (string items, bool more) = Page(start);
            string next = more ? $"\"/2010-04-01/Calls.json?PageSize=2&Page=1&PageToken=c{start + PageSize}\"" : "null";
            return Json(context, $$$"""{"calls":{{{items}}},"next_page_uri":{{{next}}},"page":0}""");
        });

        List<string> ids = await WalkAsync(server, "ListCallsAutoPagingAsync", 2L, null, null);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?PageSize=2", "?PageSize=2&Page=1&PageToken=c2", "?PageSize=2&Page=1&PageToken=c4" }, server.Seen.Select(s => s.Query));
        Assert.All(server.Seen, seen => Assert.Equal("/2010-04-01/Calls.json", seen.Path));
    }

    [Fact]
    public async Task Asanas_next_page_offset_goes_back_as_offset_until_next_page_is_null()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["offset"]);
            (string items, bool more) = Page(start);
            string next = more ? $$$"""{"offset":"c{{{start + PageSize}}}","path":"/projects?offset=c{{{start + PageSize}}}"}""" : "null";
            return Json(context, $$$"""{"data":{{{items}}},"next_page":{{{next}}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListProjectsAutoPagingAsync", null, 2L);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?limit=2", "?offset=c2&limit=2", "?offset=c4&limit=2" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task An_RFC_8288_Link_header_is_followed_by_its_next_relation_among_others()
    {
        Uri? origin = null;
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1");
            (string items, bool more) = Page((page - 1) * PageSize);
            string last = $"<{origin}issues?per_page=2&page=3>; rel=\"last\"";
            context.Response.Headers["Link"] = more
                ? $"<{origin}issues?per_page=2&page=1>; rel=\"first\", <{origin}issues?per_page=2&page={page + 1}>; title=\"a, b\"; rel=\"next\", {last}"
                : $"<{origin}issues?per_page=2&page=1>; rel=\"first prev\"";
            return Json(context, items);
        });
        origin = server.BaseAddress;

        List<string> ids = await WalkAsync(server, "ListIssuesAutoPagingAsync", 2L, null);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?per_page=2", "?per_page=2&page=2", "?per_page=2&page=3" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task A_link_to_another_origin_ends_the_walk_with_an_error_instead_of_sending_credentials_there()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
            Json(context, """{"count":9,"next":"https://elsewhere.example.com/pets?page=2","results":[{"id":"i1"}]}"""));

        var seen = new List<string>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (object item in Enumerate(server, "ListPetsAutoPagingAsync", null, null))
            {
                seen.Add((string)GeneratedAssembly.Get(item, "Id")!);
            }
        });

        Assert.Equal(new[] { "i1" }, seen);
        Assert.Contains("another origin (https://elsewhere.example.com", error.Message);
        Assert.Single(server.Seen);
    }

    [Fact]
    public async Task A_server_that_links_back_to_a_page_already_read_ends_the_walk()
    {
        Uri? origin = null;
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            string page = context.Request.Query["page"].FirstOrDefault() ?? "1";
            string next = page == "1" ? "2" : "1";
            return Json(context, $$"""{"count":9,"next":"{{origin}}pets?page={{next}}","results":[{"id":"p{{page}}"}]}""");
        });
        origin = server.BaseAddress;

        List<string> ids = await WalkAsync(server, "ListPetsAutoPagingAsync", null, null);

        Assert.Equal(new[] { "p1", "p2", "p1" }, ids);
        Assert.Equal(3, server.Seen.Count);
    }

    [Fact]
    public async Task An_offset_moves_by_the_items_read_and_stops_at_the_total()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int offset = int.Parse(context.Request.Query["offset"].FirstOrDefault() ?? "0");
            (string items, _) = Page(offset);
            return Json(context, $$"""{"events":{{items}},"total":{{ListSize}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListEventsAutoPagingAsync", null, 2L);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?offset=0&limit=2", "?offset=2&limit=2", "?offset=4&limit=2" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task An_offset_without_a_total_stops_at_the_first_empty_page_and_starts_where_the_caller_says()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int skip = int.Parse(context.Request.Query["skip"].FirstOrDefault() ?? "0");
            (string items, _) = Page(skip);
            return Json(context, $$"""{"entries":{{items}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListLogsAutoPagingAsync", 1L);

        Assert.Equal(Everything.Skip(1), ids);
        Assert.Equal(new[] { "?skip=1", "?skip=3", "?skip=5" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task Page_numbers_count_up_to_the_number_of_pages()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1");
            (string items, _) = Page((page - 1) * PageSize);
            return Json(context, $$$"""{"users":{{{items}}},"meta":{"total_pages":3}}""");
        });

        List<string> ids = await WalkAsync(server, "ListUsersAutoPagingAsync", null, 2L);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?page=1&per_page=2", "?page=2&per_page=2", "?page=3&per_page=2" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task The_items_beside_a_list_of_warnings_are_walked_to_list_info_num_pages()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1");
            (string items, _) = Page((page - 1) * PageSize);
            return Json(context, $$$"""{"templates":{{{items}}},"list_info":{"num_pages":3,"num_results":null},"warnings":["w"]}""");
        });

        List<string> ids = await WalkAsync(server, "ListTemplatesAutoPagingAsync", null, 2L);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?page=1&page_size=2", "?page=2&page_size=2", "?page=3&page_size=2" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task Pages_numbered_from_zero_stop_when_the_items_reach_the_total()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "0");
            (string items, _) = Page(page * PageSize);
            return Json(context, $$"""{"content":{{items}},"totalElements":{{ListSize}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListProductsAutoPagingAsync", null, 2);

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { "?page=0&size=2", "?page=1&size=2", "?page=2&size=2" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public async Task A_declared_cursor_is_read_where_the_extension_says_and_goes_into_its_parameter()
    {
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            int start = Cursor(context.Request.Query["from"]);
            (string items, bool more) = Page(start);
            string cursor = more ? $$$""","meta":{"cursor":{"following":"c{{{start + PageSize}}}"}}""" : ""","meta":{"cursor":{}}""";
            return Json(context, $$"""{"records":{{items}}{{cursor}}}""");
        });

        List<string> ids = await WalkAsync(server, "ListAuditAutoPagingAsync", new object?[] { null });

        Assert.Equal(Everything, ids);
        Assert.Equal(new[] { string.Empty, "?from=c2", "?from=c4" }, server.Seen.Select(s => s.Query));
    }

    [Fact]
    public void A_required_cursor_parameter_is_walked_from_the_callers_value()
    {
        GenerationResult result = GeneratorHarness.Run("""
            openapi: 3.0.3
            info: { title: Test, version: "1" }
            paths:
              /feed:
                get:
                  operationId: readFeed
                  parameters:
                    - { name: cursor, in: query, required: true, schema: { type: string } }
                  responses:
                    "200":
                      description: A page of the feed.
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              items: { type: array, items: { type: string } }
                              next_cursor: { type: string }
            """);

        result.AssertCleanAndCompiles();
        string client = result.Files.Single(f => f.Key.EndsWith("TestClient.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("ReadFeedAsync(nextCursor!, options, pageCancellationToken)", client);
    }

    [Fact]
    public void Paging_turned_off_by_the_extension_generates_no_walk()
    {
        Type client = _generated.Type("TestClient");

        Assert.NotNull(client.GetMethod("ListReportsAsync"));
        Assert.Null(client.GetMethod("ListReportsAutoPagingAsync"));
        Assert.NotNull(client.GetMethod("ListChargesAutoPagingAsync"));
    }

    [Fact]
    public void A_malformed_paging_extension_is_SPEC007_at_the_extension_and_the_operation_still_generates()
    {
        GenerationResult result = GeneratorHarness.Run("""
            openapi: 3.0.3
            info: { title: Test, version: "1" }
            paths:
              /things:
                get:
                  operationId: listThings
                  x-specgen-paging: { kind: cursor, items: things, parameter: cursor, next: meta.nope }
                  parameters:
                    - { name: cursor, in: query, schema: { type: string } }
                  responses:
                    "200":
                      description: Things.
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              things: { type: array, items: { type: string } }
              /others:
                get:
                  operationId: listOthers
                  x-specgen-paging: { kind: sideways }
                  responses:
                    "200":
                      description: Others.
                      content:
                        application/json:
                          schema: { type: array, items: { type: string } }
            """);

        result.AssertCompiles();
        IReadOnlyList<Diagnostic> invalid = result.WithId("SPEC007");
        Assert.Equal(2, invalid.Count);
        Assert.Contains("x-specgen-paging is ignored: 'next' (meta.nope) is not a string member of the response", invalid[0].GetMessage());
        Assert.Equal(6, invalid[0].Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("'kind' must be cursor, link, offset or page", invalid[1].GetMessage());
        string client = result.Files.Single(f => f.Key.EndsWith("TestClient.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("ListThingsAsync(", client);
        Assert.DoesNotContain("AutoPagingAsync", client);
    }

    /// <summary>The ids of a page that starts after <paramref name="start"/> items, as JSON, and whether more follow.</summary>
    private static (string Items, bool More) Page(int start)
    {
        int end = Math.Min(start + PageSize, ListSize);
        IEnumerable<string> items = Enumerable.Range(start + 1, Math.Max(0, end - start)).Select(i => $$"""{"id":"i{{i}}"}""");
        return ("[" + string.Join(",", items) + "]", end < ListSize);
    }

    // "i2" is after two items; a cursor "c4" starts after four.
    private static int After(string? id) => id is null ? 0 : int.Parse(id.Substring(1));

    private static int Cursor(string? cursor) => cursor is null ? 0 : int.Parse(cursor.Substring(1));

    private static Task Json(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    private async Task<List<string>> WalkAsync(RecordingServer server, string method, params object?[] arguments)
    {
        var ids = new List<string>();
        await foreach (object item in Enumerate(server, method, arguments))
        {
            ids.Add((string)GeneratedAssembly.Get(item, "Id")!);
        }

        return ids;
    }

    /// <summary>Calls a paging method with <paramref name="arguments"/> then, unless given, no options and no cancellation.</summary>
    private IAsyncEnumerable<object> Enumerate(RecordingServer server, string method, params object?[] arguments)
    {
        object client = Activator.CreateInstance(_generated.Type("TestClient"), new ApiClientOptions { BaseAddress = server.BaseAddress, MaxRetries = 0 }, new HttpClient())!;
        int count = client.GetType().GetMethod(method)!.GetParameters().Length;
        object?[] all = arguments.Concat(Enumerable.Repeat<object?>(null, count - 1 - arguments.Length)).Append(CancellationToken.None).ToArray();
        return (IAsyncEnumerable<object>)GeneratedAssembly.Call(client, method, all)!;
    }

    /// <summary>The Paging scenario, generated and compiled once for the class.</summary>
    public sealed class PagingClient : IDisposable
    {
        internal GeneratedAssembly Generated { get; } = GeneratedAssembly.FromScenario("Paging");

        public void Dispose() => Generated.Dispose();
    }
}
