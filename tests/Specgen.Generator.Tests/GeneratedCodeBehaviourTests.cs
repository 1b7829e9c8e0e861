using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// The generated code, compiled and run: what the baselines show must also behave. Each test
/// loads the output of one scenario spec and drives it through <c>JsonSerializer</c> with the
/// generated resolver, or calls its methods.
/// </summary>
public sealed class GeneratedCodeBehaviourTests
{
    [Fact]
    public void A_model_round_trips_and_keeps_the_members_the_spec_does_not_declare()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Object");
        const string json = """
            {
              "id": "w_1", "name": "gear", "created_at": 1700000000, "updated": "2024-05-01T12:30:00+02:00",
              "count": 3, "size": 9007199254740993, "ratio": 0.25, "enabled": true, "note": null,
              "dimensions": { "width": 1.5, "depth": 7 },
              "labels": { "a": "b" },
              "extra": { "anything": [1, "two", null] },
              "added_by_a_newer_server": { "nested": [true] }
            }
            """;

        object widget = generated.Read("Widget", json);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), GeneratedAssembly.Get(widget, "CreatedAt"));
        Assert.Equal(9007199254740993L, GeneratedAssembly.Get(widget, "Size"));
        var unknown = (IDictionary<string, JsonElement>)GeneratedAssembly.Get(widget, "AdditionalProperties")!;
        Assert.Equal("""{"nested":[true]}""", unknown["added_by_a_newer_server"].GetRawText().Replace(" ", string.Empty));
        var nestedUnknown = (IDictionary<string, JsonElement>)GeneratedAssembly.Get(GeneratedAssembly.Get(widget, "Dimensions")!, "AdditionalProperties")!;
        Assert.Equal(7, nestedUnknown["depth"].GetInt32());

        string written = generated.Write(widget);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)), $"Round trip changed the JSON:\n{written}");
    }

    [Fact]
    public void A_constant_member_read_from_JSON_is_the_constant_itself_and_any_other_text_is_kept()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.1.0
            info: { title: Constants, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Note:
                  type: object
                  properties:
                    object: { type: string, enum: [note] }
            """);

        // The string literal, not a new string per object: reading allocates nothing for it.
        object first = generated.Read("Note", """{"object":"note"}""");
        object second = generated.Read("Note", """{"object":"note"}""");
        Assert.Same("note", GeneratedAssembly.Get(first, "Object"));
        Assert.Same(GeneratedAssembly.Get(first, "Object"), GeneratedAssembly.Get(second, "Object"));

        // A value the spec does not allow is still read as sent, not replaced by the constant.
        Assert.Equal("note.v2", GeneratedAssembly.Get(generated.Read("Note", """{"object":"note.v2"}"""), "Object"));
    }

    [Fact]
    public void Unset_optional_members_are_left_out_and_a_required_null_is_written_as_null()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Object");
        object widget = generated.Read("Widget", """{"id":"w","name":"n","created_at":0,"count":0,"size":0,"ratio":0,"enabled":false,"note":null}""");

        string written = generated.Write(widget);

        Assert.Equal("""{"id":"w","name":"n","created_at":0,"count":0,"size":0,"ratio":0,"enabled":false,"note":null}""", written);
    }

    [Fact]
    public void An_explicit_null_in_an_optional_nullable_member_survives_a_round_trip_and_an_absent_one_stays_absent()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Nullable");
        const string withNull = """{"any_of_ref":null,"type_array":null,"any_of_int":null,"optional_nullable":null}""";
        const string without = """{"any_of_ref":null,"type_array":null,"any_of_int":null}""";
        const string withValue = """{"any_of_ref":null,"type_array":null,"any_of_int":null,"optional_nullable":false}""";

        Assert.Equal(withNull, generated.Write(generated.Read("Holder", withNull)));
        Assert.Equal(without, generated.Write(generated.Read("Holder", without)));
        Assert.Equal(withValue, generated.Write(generated.Read("Holder", withValue)));
    }

    [Fact]
    public void Setting_an_optional_nullable_member_to_null_sends_null_and_never_setting_it_leaves_it_out()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Nullable");
        object untouched = Activator.CreateInstance(generated.Type("Holder"))!;
        object cleared = Activator.CreateInstance(generated.Type("Holder"))!;
        object setThenCleared = Activator.CreateInstance(generated.Type("Holder"))!;
        object read = generated.Read("Holder", """{"any_of_ref":null,"type_array":null,"any_of_int":null,"optional_nullable":true}""");

        GeneratedAssembly.Set(cleared, "OptionalNullable", null);
        GeneratedAssembly.Set(setThenCleared, "OptionalNullable", true);
        GeneratedAssembly.Set(setThenCleared, "OptionalNullable", null);
        GeneratedAssembly.Set(read, "OptionalNullable", null);

        Assert.Equal("""{"any_of_ref":null,"type_array":null,"any_of_int":null}""", generated.Write(untouched));
        Assert.Null(GeneratedAssembly.Get(cleared, "OptionalNullable"));
        Assert.Equal("""{"any_of_ref":null,"type_array":null,"any_of_int":null,"optional_nullable":null}""", generated.Write(cleared));
        Assert.Equal(generated.Write(cleared), generated.Write(setThenCleared));
        Assert.Equal(generated.Write(cleared), generated.Write(read));
    }

    [Fact]
    public void An_optional_member_that_is_not_nullable_is_still_left_out_when_null()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Nullable");
        object holder = Activator.CreateInstance(generated.Type("Holder"))!;

        GeneratedAssembly.Set(holder, "NullableItems", null);

        Assert.Equal("""{"any_of_ref":null,"type_array":null,"any_of_int":null}""", generated.Write(holder));
    }

    [Fact]
    public void An_enum_value_the_spec_does_not_list_is_kept_and_written_back()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Enum");
        Type status = generated.Type("RunStatus");

        object job = generated.Read("Job", """{"object":"job","status":"paused","priority":"high"}""");
        object paused = GeneratedAssembly.Get(job, "Status")!;

        Assert.Equal("paused", GeneratedAssembly.Get(paused, "Value"));
        Assert.Equal("paused", paused.ToString());
        Assert.NotEqual(GeneratedAssembly.Get(status, "InProgress"), paused);
        Assert.Equal("""{"object":"job","status":"paused","priority":"high"}""", generated.Write(job));
    }

    [Fact]
    public void A_known_enum_value_equals_its_static_member()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Enum");
        Type status = generated.Type("RunStatus");

        object job = generated.Read("Job", """{"object":"job","status":"in-progress"}""");

        Assert.Equal(GeneratedAssembly.Get(status, "InProgress"), GeneratedAssembly.Get(job, "Status"));
        Assert.Equal(GeneratedAssembly.Get(status, "Empty"), generated.Read("RunStatus", "\"\""));
    }

    [Fact]
    public void A_discriminated_union_reads_a_known_variant_by_its_type_member()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Union");

        object part = generated.Read("Part", """{"text":"hello","type":"text"}""");

        Assert.Equal(true, GeneratedAssembly.Get(part, "IsText"));
        Assert.Equal(false, GeneratedAssembly.Get(part, "IsUnknown"));
        Assert.Equal("hello", GeneratedAssembly.Get(GeneratedAssembly.Get(part, "AsText")!, "Text"));
        Assert.Null(GeneratedAssembly.Get(part, "AsImageUrl"));
    }

    [Fact]
    public void A_discriminated_union_keeps_an_unknown_variant_as_raw_JSON_and_writes_it_back()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Union");
        const string json = """{"type":"video","url":"https://example.test/v.mp4","seconds":12}""";

        object part = generated.Read("Part", json);

        Assert.Equal(true, GeneratedAssembly.Get(part, "IsUnknown"));
        Assert.Equal(false, GeneratedAssembly.Get(part, "IsText"));
        Assert.IsType<JsonElement>(GeneratedAssembly.Get(part, "Value"));
        Assert.Equal(json, generated.Write(part));
    }

    [Fact]
    public void An_explicit_discriminator_mapping_chooses_the_variant()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Union");

        object pet = generated.Read("Pet", """{"kind":"dog","good":true}""");

        Assert.Equal(true, GeneratedAssembly.Get(pet, "IsDog"));
        Assert.Equal(true, GeneratedAssembly.Get(GeneratedAssembly.Get(pet, "AsDog")!, "Good"));
    }

    [Theory]
    [InlineData("3.0.3", "oneOf: [{ type: string }, { type: integer }]")]
    [InlineData("3.1.0", "type: [string, integer]")]
    public void A_value_of_several_scalar_types_is_a_union_of_them(string version, string schema)
    {
        // OpenAPI 3.0's `oneOf` of bare types reaches us as several types (Microsoft.OpenApi reads
        // it so); DigitalOcean's droplet `image` is one. Either way it is an ID or a slug, not raw JSON.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec($$"""
            openapi: {{version}}
            info: { title: Images, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                DropletCreate:
                  type: object
                  properties:
                    image:
                      {{schema}}
            """);

        object slug = generated.Read("DropletCreate", """{"image":"ubuntu-24-04-x64"}""");
        object id = generated.Read("DropletCreate", """{"image":512189}""");

        Assert.Equal("ubuntu-24-04-x64", GeneratedAssembly.Get(GeneratedAssembly.Get(slug, "Image")!, "AsString"));
        Assert.Equal(512189L, GeneratedAssembly.Get(GeneratedAssembly.Get(id, "Image")!, "AsInteger"));
        Assert.Equal("""{"image":512189}""", generated.Write(id));
    }

    [Fact]
    public void A_union_without_a_discriminator_is_chosen_by_the_JSON_shape()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Union");

        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Content", "\"plain\""), "IsString"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Content", """[{"type":"text","text":"a"}]"""), "IsArray"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Shape", """{"side":2}"""), "IsSquare"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Shape", """{"radius":1}"""), "IsCircle"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Shape", """{"corners":3}"""), "IsUnknown"));
    }

    [Fact]
    public void A_union_of_a_string_and_objects_reads_each_object_by_its_type_member()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Union");

        object json = generated.Read("Format", """{"strict":true,"type":"json"}""");
        object plain = generated.Read("Format", """{"type":"plain"}""");
        object auto = generated.Read("Format", "\"auto\"");
        object newer = generated.Read("Format", """{"type":"yaml"}""");

        Assert.Equal(true, GeneratedAssembly.Get(json, "IsJson"));
        Assert.Equal(true, GeneratedAssembly.Get(GeneratedAssembly.Get(json, "AsJson")!, "Strict"));
        Assert.Equal("json", GeneratedAssembly.Get(json, "Type"));
        Assert.Equal(true, GeneratedAssembly.Get(plain, "IsPlain"));
        Assert.Equal(true, GeneratedAssembly.Get(auto, "IsAuto"));
        Assert.Null(GeneratedAssembly.Get(auto, "Type"));
        Assert.Equal(true, GeneratedAssembly.Get(newer, "IsUnknown"));
        Assert.Equal("yaml", GeneratedAssembly.Get(newer, "Type"));
        Assert.Equal("""{"type":"json","strict":true}""", generated.Write(json));
        Assert.Equal("\"auto\"", generated.Write(auto));
        Assert.Equal("""{"type":"yaml"}""", generated.Write(newer));
    }

    [Fact]
    public void An_explicit_discriminator_chooses_among_the_objects_while_a_number_is_read_by_its_token()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.1.0
            info: { title: Mixed, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Fixed:
                  type: object
                  properties:
                    kind: { type: string }
                    seconds: { type: integer }
                Open:
                  type: object
                  properties:
                    kind: { type: string }
                Timeout:
                  oneOf:
                    - type: integer
                    - $ref: "#/components/schemas/Fixed"
                    - $ref: "#/components/schemas/Open"
                  discriminator:
                    propertyName: kind
                    mapping:
                      fixed: "#/components/schemas/Fixed"
                      open: "#/components/schemas/Open"
            """);

        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Timeout", "30"), "IsInteger"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Timeout", """{"kind":"open"}"""), "IsOpen"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Timeout", """{"seconds":5,"kind":"fixed"}"""), "IsFixed"));
        Assert.Equal(true, GeneratedAssembly.Get(generated.Read("Timeout", "true"), "IsUnknown"));
    }

    [Fact]
    public void A_missing_required_member_is_a_JsonException_that_names_the_member()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Object");

        var error = Assert.Throws<JsonException>(() => generated.Read("Widget", """{"id":"w","created_at":0,"count":0,"size":0,"ratio":0,"enabled":false,"note":null}"""));

        Assert.Contains("'name'", error.Message);
        Assert.Contains("Widget", error.Message);
    }

    [Fact]
    public void Validate_names_the_field_and_the_limit_of_over_limit_metadata()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Parameters");
        object tooMany = generated.Read("FileRequest", """{"name":"a","metadata":{"k1":"v","k2":"v","k3":"v","k4":"v"}}""");
        object longKey = generated.Read("FileRequest", """{"name":"a","metadata":{"much_too_long":"v"}}""");
        object longValue = generated.Read("FileRequest", """{"name":"a","metadata":{"k":"seventeen chars.."}}""");

        var count = Assert.Throws<ArgumentException>(() => GeneratedAssembly.Call(tooMany, "Validate", ""));
        var key = Assert.Throws<ArgumentException>(() => GeneratedAssembly.Call(longKey, "Validate", ""));
        var value = Assert.Throws<ArgumentException>(() => GeneratedAssembly.Call(longValue, "Validate", ""));

        Assert.Equal("metadata", count.ParamName);
        Assert.Contains("at most 3", count.Message);
        Assert.Contains("maxProperties", count.Message);
        Assert.Equal("metadata", key.ParamName);
        Assert.Contains("at most 8", key.Message);
        Assert.Contains("propertyNames.maxLength", key.Message);
        Assert.Equal("metadata[\"k\"]", value.ParamName);
        Assert.Contains("at most 16", value.Message);
    }

    [Fact]
    public void Validate_accepts_values_within_every_limit()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Parameters");
        object request = generated.Read("FileRequest", """{"name":"a.b","tags":["x","y"],"metadata":{"k1":"v","k2":"v","k3":"v"},"score":1.5}""");

        GeneratedAssembly.Call(request, "Validate", "");
    }

    [Fact]
    public async Task An_argument_over_its_limit_fails_before_anything_is_sent()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Parameters");
        var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        object client = Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/") }, http)!;
        object body = generated.Read("FileRequest", """{"name":"ok"}""");
        object order = Activator.CreateInstance(generated.Type("UploadFileOrder"), "asc")!;

        // uploadFile(project_id, org_id, order, body, limit, dry_run, tag, Idempotency-Key, options, cancellationToken)
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            (Task)GeneratedAssembly.Call(client, "UploadFileAsync", "p", "o", order, body, 500, null, null, null, null, CancellationToken.None)!);

        Assert.Equal("limit", error.ParamName);
        Assert.Contains("at most 100", error.Message);
        Assert.Equal(0, handler.Requests);
    }

    [Theory]
    [InlineData("UploadFileAsync")]
    [InlineData("UploadFileWithResponseAsync")]
    public void An_argument_over_its_limit_is_thrown_by_the_call_itself_not_by_the_task_it_returns(string method)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Parameters");
        var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        object client = Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/") }, http)!;
        object body = generated.Read("FileRequest", """{"name":"ok"}""");
        object order = Activator.CreateInstance(generated.Type("UploadFileOrder"), "asc")!;

        // Assert.Throws, not ThrowsAsync: no task comes back to fail later.
        var error = Assert.Throws<ArgumentException>(() =>
            GeneratedAssembly.Call(client, method, "p", "o", order, body, 500, null, null, null, null, CancellationToken.None));

        Assert.Equal("limit", error.ParamName);
        Assert.Equal(0, handler.Requests);
    }

    /// <summary>Every response kind: JSON, no content, a file, a string; each method of each.</summary>
    public static TheoryData<string, string> CallsWithABrokenArgument => new()
    {
        { "CreateFile", "body" },
        { "UploadData", "upload_id" },
        { "DownloadFile", "file_id" },
        { "RetrieveFileContent", "file_id" },
    };

    [Theory]
    [MemberData(nameof(CallsWithABrokenArgument))]
    public void A_broken_argument_is_thrown_when_either_method_is_called_whatever_the_response_kind(string operation, string parameter)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        object client = Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/") }, http)!;
        object?[] arguments = operation switch
        {
            "CreateFile" => [null, null, CancellationToken.None],
            "UploadData" => ["", (FileUpload)new byte[] { 1 }, null, CancellationToken.None],
            _ => ["", null, CancellationToken.None],
        };

        foreach (string method in new[] { operation + "Async", operation + "WithResponseAsync" })
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => GeneratedAssembly.Call(client, method, arguments));

            Assert.Equal(parameter, error.ParamName);
        }

        Assert.Equal(0, handler.Requests);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError));
        }
    }
}
