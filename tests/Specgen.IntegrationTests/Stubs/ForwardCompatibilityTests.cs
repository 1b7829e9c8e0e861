using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>A newer server's data is read without error and survives being written back.</summary>
public sealed class ForwardCompatibilityTests
{
    [Fact]
    public async Task An_unknown_member_is_kept_in_AdditionalProperties_and_written_back_by_the_generated_converter()
    {
        MessageObject message = await GetMessageFromAsync(FutureServerJson.Message);

        Assert.Equal(["pinned", "reactions"], message.AdditionalProperties.Keys.Order(StringComparer.Ordinal));
        Assert.True(message.AdditionalProperties["pinned"].GetBoolean());
        Assert.Equal(3, message.AdditionalProperties["reactions"].GetProperty("thumbs_up").GetInt32());
        Assert.Equal("en", Assert.IsType<MessageContentText>(message.Content[0].Value).Text.AdditionalProperties["language"].GetString());

        JsonNode written = JsonNode.Parse(Write(message))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FutureServerJson.Message), written), $"Written back differently:\n{written.ToJsonString()}");
    }

    [Fact]
    public async Task An_unknown_content_part_type_is_read_as_IsUnknown_with_its_raw_json()
    {
        MessageObject message = await GetMessageFromAsync(FutureServerJson.Message);

        Assert.Equal(3, message.Content.Count);
        Assert.True(message.Content[0].IsText);
        MessageContentPart unknown = message.Content[1];
        Assert.True(unknown.IsUnknown);
        Assert.False(unknown.IsText || unknown.IsImageFile || unknown.IsImageUrl || unknown.IsRefusal);
        Assert.Null(unknown.AsText);
        JsonElement raw = Assert.IsType<JsonElement>(unknown.Value);
        Assert.Equal("video", raw.GetProperty("type").GetString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FutureServerJson.UnknownPart), JsonNode.Parse(raw.GetRawText())));
        Assert.Equal("I cannot describe that.", message.Content[2].AsRefusal!.Refusal);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_kept_and_round_trips()
    {
        MessageObject message = await GetMessageFromAsync(FutureServerJson.Message);

        Assert.Equal("archived", message.Status.Value);
        Assert.Equal(new MessageObjectStatus("archived"), message.Status);
        Assert.NotEqual(MessageObjectStatus.Completed, message.Status);
        Assert.NotEqual(MessageObjectStatus.InProgress, message.Status);
        Assert.NotEqual(MessageObjectStatus.Incomplete, message.Status);
        Assert.Equal("archived", JsonNode.Parse(Write(message))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_members_of_a_list_page_and_of_its_messages_survive_listMessages()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, FutureServerJson.MessagePage);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        ListMessagesResponse page = await client.ListMessagesAsync("thread_future");

        Assert.Equal(1, page.AdditionalProperties["total"].GetInt32());
        MessageObject message = Assert.Single(page.Data);
        Assert.True(message.Content[1].IsUnknown);
        Assert.Equal("archived", message.Status.Value);
        Assert.True(message.AdditionalProperties.ContainsKey("reactions"));
    }

    [Fact]
    public async Task An_unknown_part_and_unknown_members_put_into_a_request_are_sent_as_their_raw_json()
    {
        MessageObject read = await GetMessageFromAsync(FutureServerJson.Message);
        var request = new CreateMessageRequest
        {
            Role = read.Role.Value,
            Content = new List<MessageContentPartInput>
            {
                new MessageContentTextInput { Text = "Forwarding this:" },
                MessageContentPartInput.FromUnknown((JsonElement)read.Content[1].Value),
            },
        };
        request.AdditionalProperties["reactions"] = read.AdditionalProperties["reactions"];
        await using StubServer server = await StubServer.RespondingAsync(200, FutureServerJson.Message);
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress }, http);

        await client.CreateMessageAsync("thread_future", request);

        JsonNode sent = JsonNode.Parse(recorder.Single().Body!)!;
        Assert.Equal("user", sent["role"]!.GetValue<string>());
        Assert.Equal("Forwarding this:", sent["content"]![0]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FutureServerJson.UnknownPart), sent["content"]![1]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "thumbs_up": 3, "by": ["ana", "rui"] }"""), sent["reactions"]));
    }

    private static async Task<MessageObject> GetMessageFromAsync(string json)
    {
        await using StubServer server = await StubServer.RespondingAsync(200, json);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });
        return await client.GetMessageAsync("thread_future", "msg_future");
    }

    private static string Write(MessageObject message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            MessageObjectJsonConverter.WriteValue(writer, message);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
