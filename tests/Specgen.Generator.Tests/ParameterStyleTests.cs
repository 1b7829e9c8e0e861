using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>
/// Parameters in every place and style, sent by the generated client through the real runtime:
/// the URL, headers and cookies exactly as a server receives them.
/// </summary>
public sealed class ParameterStyleTests
{
    [Fact]
    public async Task Every_style_spells_its_parameter_as_OpenAPI_defines_it()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("ParameterStyles");
        var handler = RecordingHandler.Answering(System.Net.HttpStatusCode.NoContent);
        object client = generated.Client(handler);
        Colors(generated, out object red, out object blue);

        // searchItems(ids, kind, version, session, tag, fields, words, colors, filter, page, labels, limit, where, X-Trace-Ids, X-Point, theme, options, token)
        await GeneratedAssembly.CallAsync(client, "SearchItemsAsync",
            new List<long> { 1, 2 }, "book", 3L, "s3cr=t;",
            new List<string> { "a b", "c" },
            new List<string> { "id", "name" },
            new List<string> { "big", "red" },
            MakeList(generated, red, blue),
            generated.Read("Filter", """{"size":{"min":1,"max":9},"name":"x"}"""),
            generated.Read("Page", """{"number":2,"size":50}"""),
            new Dictionary<string, string> { ["env"] = "prod" },
            generated.Read("SearchItemsLimit", "\"all\""),
            generated.Read("SearchItemsWhere", """{"owner":"me"}"""),
            new List<string> { "t1", "t2" },
            generated.Read("Page", """{"number":1,"size":5}"""),
            generated.Read("SearchItemsTheme", "\"dark\""),
            null, CancellationToken.None);

        SentRequest call = handler.Last;
        Assert.Equal(
            "/items/1%2C2/.book/;version=3"
            + "?tag=a%20b&tag=c"
            + "&fields=id%2Cname"
            + "&words=big%20red"
            + "&colors=red%7Cblue"
            + "&filter%5Bsize%5D%5Bmin%5D=1&filter%5Bsize%5D%5Bmax%5D=9&filter%5Bname%5D=x"
            + "&number=2&size=50"
            + "&labels%5Benv%5D=prod"
            + "&limit=all"
            + "&where=%7B%22owner%22%3A%22me%22%7D",
            call.PathAndQuery);
        Assert.Equal("t1,t2", call.Header("X-Trace-Ids"));
        Assert.Equal("number=1,size=5", call.Header("X-Point"));
        Assert.Equal("session=s3cr%3Dt%3B; theme=dark", call.Header("Cookie"));
    }

    [Fact]
    public async Task A_union_query_parameter_holding_a_number_is_sent_as_its_text_and_unset_ones_are_left_out()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("ParameterStyles");
        var handler = RecordingHandler.Answering(System.Net.HttpStatusCode.NoContent);
        object client = generated.Client(handler);

        await GeneratedAssembly.CallAsync(client, "SearchItemsAsync",
            new List<long> { 7 }, "k", 1L, "s",
            null, null, null, null, null, null, null,
            generated.Read("SearchItemsLimit", "25"),
            null, null, null, null,
            null, CancellationToken.None);

        Assert.Equal("/items/7/.k/;version=1?limit=25", handler.Last.PathAndQuery);
        Assert.Equal("session=s", handler.Last.Header("Cookie"));
        Assert.Null(handler.Last.Header("X-Trace-Ids"));
    }

    [Fact]
    public async Task A_path_parameter_that_is_a_union_or_an_object_is_spelled_from_the_value_it_holds()
    {
        // DigitalOcean's `ssh_key_identifier` is `anyOf: [id, fingerprint]` and its `image_id`
        // `anyOf: [integer, string]`: the operation is kept, and the segment is the held value's text.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(
            """
            openapi: 3.0.3
            info: { title: Keys, version: 1.0.0 }
            paths:
              /keys/{key}:
                get:
                  operationId: getKey
                  parameters:
                    - name: key
                      in: path
                      required: true
                      schema:
                        anyOf:
                          - $ref: '#/components/schemas/KeyId'
                          - $ref: '#/components/schemas/Fingerprint'
                  responses:
                    '204': { description: Found. }
              /points/{point}:
                get:
                  operationId: getPoint
                  parameters:
                    - name: point
                      in: path
                      required: true
                      schema:
                        type: object
                        properties:
                          x: { type: integer }
                          y: { type: integer }
                  responses:
                    '204': { description: Found. }
            components:
              schemas:
                KeyId: { type: integer }
                Fingerprint: { type: string }
            """);
        var handler = RecordingHandler.Answering(System.Net.HttpStatusCode.NoContent);
        object client = generated.Client(handler);

        await GeneratedAssembly.CallAsync(client, "GetKeyAsync", generated.Read("GetKeyKey", "512189"), null, CancellationToken.None);
        Assert.Equal("/keys/512189", handler.Last.PathAndQuery);

        await GeneratedAssembly.CallAsync(client, "GetKeyAsync", generated.Read("GetKeyKey", "\"3b:16/e4\""), null, CancellationToken.None);
        Assert.Equal("/keys/3b%3A16%2Fe4", handler.Last.PathAndQuery);

        // An object in the simple style: its members and values, comma-separated.
        await GeneratedAssembly.CallAsync(client, "GetPointAsync", generated.Read("GetPointPoint", """{"x":1,"y":2}"""), null, CancellationToken.None);
        Assert.Equal("/points/x%2C1%2Cy%2C2", handler.Last.PathAndQuery);
    }

    private static void Colors(GeneratedAssembly generated, out object red, out object blue)
    {
        red = GeneratedAssembly.Get(generated.Type("SearchItemsColorsItem"), "Red")!;
        blue = GeneratedAssembly.Get(generated.Type("SearchItemsColorsItem"), "Blue")!;
    }

    private static object MakeList(GeneratedAssembly generated, params object[] items)
    {
        var list = (System.Collections.IList)System.Activator.CreateInstance(typeof(List<>).MakeGenericType(generated.Type("SearchItemsColorsItem")))!;
        foreach (object item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
