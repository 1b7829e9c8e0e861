using System;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>What the fuzz test found, each pinned by a small document of its own.</summary>
public sealed class FuzzFoundTests
{
    /// <summary>A run polled through <c>getRun</c>, whose refresh parameter comes from the optional <c>id</c>.</summary>
    internal const string PolledRun = """
        openapi: 3.1.0
        info: { title: Runs, version: 1.0.0 }
        paths:
          /runs/{run_id}:
            get:
              operationId: getRun
              parameters:
                - { name: run_id, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: The run.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Run' }
        components:
          schemas:
            Run:
              type: object
              required: [status]
              properties:
                id: { type: string }
                status: { type: string, enum: [queued, done] }
              x-specgen-polling:
                name: Run
                status: status
                terminal: [done]
                refresh:
                  operationId: getRun
                  parameters: { run_id: id }
        """;

    [Fact]
    public void A_polling_refresh_parameter_taken_from_an_optional_member_is_SPEC007_and_no_helper_is_generated()
    {
        GenerationResult result = GeneratorHarness.Run(PolledRun);

        result.AssertCompiles();
        Assert.Contains("must map 'run_id' to a required, non-nullable string member of 'Run'", Assert.Single(result.WithId("SPEC007")).GetMessage());
        Assert.DoesNotContain("PollRunAsync", result.Files["Test.Api.TestClient.g.cs"]);
    }

    [Fact]
    public void The_same_helper_is_generated_when_the_member_is_required()
    {
        GenerationResult result = GeneratorHarness.Run(PolledRun.Replace("required: [status]", "required: [id, status]"));

        result.AssertCleanAndCompiles();
        Assert.Contains("PollRunAsync", result.Files["Test.Api.TestClient.g.cs"]);
    }

    [Fact]
    public async Task An_event_whose_name_member_is_a_plain_required_string_is_read_with_its_name_set()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.1.0
            info: { title: Events, version: 1.0.0 }
            paths:
              /watch:
                get:
                  operationId: watch
                  responses:
                    '200':
                      description: Events.
                      content:
                        text/event-stream:
                          schema: { $ref: '#/components/schemas/Event' }
            components:
              schemas:
                Event:
                  oneOf:
                    - $ref: '#/components/schemas/Created'
                    - $ref: '#/components/schemas/Deleted'
                  discriminator:
                    propertyName: event
                    mapping:
                      created: '#/components/schemas/Created'
                      deleted: '#/components/schemas/Deleted'
                Created:
                  type: object
                  required: [event, data]
                  properties:
                    event: { type: string }
                    data: { type: object, properties: { id: { type: string } } }
                Deleted:
                  type: object
                  required: [event, data]
                  properties:
                    event: { type: string, enum: [deleted] }
                    data: { type: string }
            """);
        var handler = RecordingHandler.Answering(body: "event: created\ndata: {\"id\":\"a\"}\n\nevent: deleted\ndata: \"b\"\n\n", contentType: "text/event-stream");
        object client = generated.Client(handler);

        var events = new System.Collections.Generic.List<object>();
        await foreach (object item in (System.Collections.Generic.IAsyncEnumerable<object>)GeneratedAssembly.Call(client, "WatchStreamingAsync", null, System.Threading.CancellationToken.None)!)
        {
            events.Add(item);
        }

        object created = GeneratedAssembly.Get(events[0], "AsCreated")!;
        Assert.Equal("created", GeneratedAssembly.Get(created, "Event"));
        Assert.True((bool)GeneratedAssembly.Get(events[1], "IsDeleted")!);
    }

    [Theory]
    [InlineData("[deleted, deleted]")]
    [InlineData("[deleted, removed]")]
    public async Task An_event_whose_name_member_is_an_enum_of_more_than_one_entry_is_read_with_its_name_set(string values)
    {
        // The fuzz test duplicated the one value of such an enum: the member was then a required
        // enum that reading the event left unset (CS9035).
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec($$"""
            openapi: 3.1.0
            info: { title: Events, version: 1.0.0 }
            paths:
              /watch:
                get:
                  operationId: watch
                  responses:
                    '200':
                      description: Events.
                      content:
                        text/event-stream:
                          schema: { $ref: '#/components/schemas/Event' }
            components:
              schemas:
                Event:
                  oneOf:
                    - $ref: '#/components/schemas/Created'
                    - $ref: '#/components/schemas/Deleted'
                  discriminator:
                    propertyName: event
                    mapping:
                      created: '#/components/schemas/Created'
                      deleted: '#/components/schemas/Deleted'
                Created:
                  type: object
                  required: [event, data]
                  properties:
                    event: { type: string, enum: [created] }
                    data: { type: string }
                Deleted:
                  type: object
                  required: [event, data]
                  properties:
                    event: { type: string, enum: {{values}} }
                    data: { type: string }
            """);
        var handler = RecordingHandler.Answering(body: "event: deleted\ndata: \"b\"\n\n", contentType: "text/event-stream");
        object client = generated.Client(handler);

        var events = new System.Collections.Generic.List<object>();
        await foreach (object item in (System.Collections.Generic.IAsyncEnumerable<object>)GeneratedAssembly.Call(client, "WatchStreamingAsync", null, System.Threading.CancellationToken.None)!)
        {
            events.Add(item);
        }

        object deleted = GeneratedAssembly.Get(Assert.Single(events), "AsDeleted")!;
        Assert.Equal("deleted", GeneratedAssembly.Get(GeneratedAssembly.Get(deleted, "Event")!, "Value"));
    }

    [Fact]
    public void A_property_whose_schema_is_false_is_left_out_of_the_model()
    {
        GenerationResult result = GeneratorHarness.Run("""
            openapi: 3.1.0
            info: { title: Flags, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Settings:
                  type: object
                  properties:
                    name: { type: string }
                    legacy: false
            """);

        result.AssertCleanAndCompiles();
        Assert.DoesNotContain("Legacy", result.Files["Test.Api.Settings.g.cs"]);
        Assert.Contains("Name", result.Files["Test.Api.Settings.g.cs"]);
    }
}
