using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>Event streams whose events are not <c>{event, data}</c> envelopes.</summary>
public sealed class EventStreamShapeTests
{
    private const string ChunkUnionSpec = """
        openapi: 3.1.0
        info: { title: Chunks, version: 1.0.0 }
        paths:
          /responses:
            post:
              operationId: createResponse
              responses:
                '200':
                  description: Events, each one whole in its data and discriminated by its own type.
                  content:
                    text/event-stream:
                      schema:
                        $ref: '#/components/schemas/ResponseEvent'
        components:
          schemas:
            ResponseEvent:
              oneOf:
                - $ref: '#/components/schemas/TextDelta'
                - $ref: '#/components/schemas/Completed'
              discriminator:
                propertyName: type
            TextDelta:
              type: object
              required: [type, delta]
              properties:
                type: { type: string, enum: [response.output_text.delta] }
                delta: { type: string }
            Completed:
              type: object
              required: [type]
              properties:
                type: { type: string, enum: [response.completed] }
        """;

    [Fact]
    public void A_union_of_self_describing_events_compiles_without_an_empty_event_switch()
    {
        GenerationResult result = GeneratorHarness.Run(ChunkUnionSpec);

        result.AssertCleanAndCompiles();
        Assert.DoesNotContain("ReadEvent", result.Files["Test.Api.ResponseEvent.g.cs"]);
        Assert.Contains("EventStream.ReadData(serverSentEvent, global::Test.Api.ResponseEventJsonConverter.ReadValue)", result.Files["Test.Api.TestClient.g.cs"]);
    }

    [Fact]
    public async Task Each_event_of_a_self_describing_union_stream_is_read_from_its_data_by_its_type()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(ChunkUnionSpec);
        const string stream = """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"Hel"}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"lo"}

            event: response.completed
            data: {"type":"response.completed"}


            """;
        var handler = RecordingHandler.Answering(body: stream, contentType: "text/event-stream");
        object client = generated.Client(handler);

        var events = new List<object>();
        var enumerable = (IAsyncEnumerable<object>)GeneratedAssembly.Call(client, "CreateResponseStreamingAsync", null, CancellationToken.None)!;
        await foreach (object item in enumerable)
        {
            events.Add(item);
        }

        Assert.Equal(3, events.Count);
        Assert.Equal("Hel", GeneratedAssembly.Get(GeneratedAssembly.Get(events[0], "AsResponseOutputTextDelta")!, "Delta"));
        Assert.Equal("lo", GeneratedAssembly.Get(GeneratedAssembly.Get(events[1], "AsResponseOutputTextDelta")!, "Delta"));
        Assert.Equal(true, GeneratedAssembly.Get(events[2], "IsResponseCompleted"));
    }
}
