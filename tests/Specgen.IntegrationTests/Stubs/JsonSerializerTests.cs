using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>
/// The generated <see cref="ThreadsClientJsonTypeInfoResolver"/> lets <see cref="JsonSerializer"/> use the
/// generated converters. This project turns reflection-based serialization off
/// (<c>JsonSerializerIsReflectionEnabledByDefault=false</c>), so these tests would fail if any type
/// fell back to reflection.
/// </summary>
public sealed class JsonSerializerTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public JsonSerializerTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    public void Dispose() => _api.Dispose();

    [Fact]
    public void Reflection_based_serialization_is_off_in_this_project()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
    }

    [Fact]
    public async Task A_message_from_the_server_round_trips_through_JsonSerializer_with_the_generated_resolver()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        MessageObject original = await _api.Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = new List<MessageContentPartInput>
            {
                new MessageContentTextInput { Text = "Olá" },
                new MessageContentImageFile { ImageFile = new ImageFileReference { FileId = "file_1", Detail = ImageFileReferenceDetail.Auto } },
            },
            Attachments = [new MessageAttachment { FileId = "file_2", Tools = [new FileSearchTool()] }],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        });
        JsonTypeInfo<MessageObject> typeInfo = TypeInfo<MessageObject>();

        string json = JsonSerializer.Serialize(original, typeInfo);
        MessageObject copy = JsonSerializer.Deserialize(json, typeInfo)!;

        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(original.CreatedAt, copy.CreatedAt);
        Assert.Equal(original.ThreadId, copy.ThreadId);
        Assert.Equal(original.Status, copy.Status);
        Assert.Equal(original.Role, copy.Role);
        Assert.Equal("Olá", copy.Content[0].AsText!.Text.Value);
        Assert.Equal("file_1", copy.Content[1].AsImageFile!.ImageFile.FileId);
        Assert.Equal(ImageFileReferenceDetail.Auto, copy.Content[1].AsImageFile!.ImageFile.Detail);
        Assert.True(Assert.Single(Assert.Single(copy.Attachments!).Tools!).IsFileSearch);
        Assert.Equal(original.Metadata, copy.Metadata);
        Assert.Equal(json, JsonSerializer.Serialize(copy, typeInfo));
        Assert.Equal(original.CreatedAt.ToUnixTimeSeconds(), JsonNode.Parse(json)!["created_at"]!.GetValue<long>());
    }

    [Fact]
    public void A_newer_servers_message_round_trips_through_JsonSerializer_unchanged()
    {
        MessageObject message = JsonSerializer.Deserialize(FutureServerJson.Message, TypeInfo<MessageObject>())!;

        string json = JsonSerializer.Serialize(message, TypeInfo<MessageObject>());

        Assert.True(message.Content[1].IsUnknown);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FutureServerJson.Message), JsonNode.Parse(json)), json);
    }

    [Fact]
    public void The_resolver_composes_with_an_apps_own_resolver_and_serves_enums_too()
    {
        var messages = new List<MessageObject> { JsonSerializer.Deserialize(FutureServerJson.Message, TypeInfo<MessageObject>())! };
        var options = new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine(ThreadsClientJsonTypeInfoResolver.Instance, new ListResolver()) };

        string json = JsonSerializer.Serialize(messages, (JsonTypeInfo<List<MessageObject>>)options.GetTypeInfo(typeof(List<MessageObject>)));
        string enumJson = JsonSerializer.Serialize(ListMessagesOrder.Asc, TypeInfo<ListMessagesOrder>());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[" + FutureServerJson.Message + "]"), JsonNode.Parse(json)));
        Assert.Equal("\"asc\"", enumJson);
    }

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>)ThreadsClientJsonTypeInfoResolver.Options.GetTypeInfo(typeof(T));

    /// <summary>Describes <c>List&lt;MessageObject&gt;</c> without reflection, as an app's own resolver would.</summary>
    private sealed class ListResolver : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
            type == typeof(List<MessageObject>)
                ? JsonMetadataServices.CreateListInfo<List<MessageObject>, MessageObject>(options, new JsonCollectionInfoValues<List<MessageObject>> { ObjectCreator = () => new List<MessageObject>() })
                : null;
    }
}
