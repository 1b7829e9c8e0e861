using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>createMessage, getMessage, modifyMessage and deleteMessage through the generated client.</summary>
public sealed class MessageOperationTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public MessageOperationTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_plain_text_message_comes_back_as_one_text_part_with_no_annotations()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        DateTimeOffset before = DateTimeOffset.UtcNow;

        MessageObject message = await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = "Olá! Is Lisbon 🌞 in May?",
        });

        DateTimeOffset after = DateTimeOffset.UtcNow;
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.Equal("thread.message", message.Object);
        Assert.Equal(thread.Id, message.ThreadId);
        Assert.Equal(MessageObjectRole.User, message.Role);
        Assert.Equal(MessageObjectStatus.Completed, message.Status);
        Assert.InRange(message.CreatedAt.ToUnixTimeSeconds(), before.ToUnixTimeSeconds(), after.ToUnixTimeSeconds());
        Assert.Null(message.AssistantId);
        Assert.Null(message.RunId);
        Assert.Null(message.IncompleteDetails);
        Assert.Null(message.CompletedAt);
        Assert.Null(message.IncompleteAt);
        Assert.Empty(message.Attachments!);
        Assert.Empty(message.Metadata!);
        MessageContentPart part = Assert.Single(message.Content);
        Assert.True(part.IsText);
        Assert.False(part.IsImageFile || part.IsImageUrl || part.IsRefusal || part.IsUnknown);
        Assert.Equal("text", part.AsText!.Type);
        Assert.Equal("Olá! Is Lisbon 🌞 in May?", part.AsText.Text.Value);
        Assert.Empty(part.AsText.Text.Annotations);
    }

    [Fact]
    public async Task Content_parts_come_back_as_the_matching_union_variants_in_order()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        MessageObject message = await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.Assistant,
            Content = new List<MessageContentPartInput>
            {
                new MessageContentTextInput { Text = "Two views:" },
                new MessageContentImageUrl { ImageUrl = new ImageUrlReference { Url = "https://example.com/alfama.png", Detail = ImageUrlReferenceDetail.Low } },
                new MessageContentImageFile { ImageFile = new ImageFileReference { FileId = "file_belem", Detail = ImageFileReferenceDetail.High } },
                new MessageContentImageFile { ImageFile = new ImageFileReference { FileId = "file_no_detail" } },
            },
        });

        Assert.Equal(MessageObjectRole.Assistant, message.Role);
        Assert.Equal(4, message.Content.Count);
        Assert.Equal("Two views:", message.Content[0].AsText!.Text.Value);
        Assert.Null(message.Content[0].AsImageUrl);

        MessageContentImageUrl url = message.Content[1].AsImageUrl!;
        Assert.Equal("image_url", url.Type);
        Assert.Equal("https://example.com/alfama.png", url.ImageUrl.Url);
        Assert.Equal(ImageUrlReferenceDetail.Low, url.ImageUrl.Detail);

        MessageContentImageFile file = message.Content[2].AsImageFile!;
        Assert.Equal("image_file", file.Type);
        Assert.Equal("file_belem", file.ImageFile.FileId);
        Assert.Equal(ImageFileReferenceDetail.High, file.ImageFile.Detail);

        Assert.Equal("file_no_detail", message.Content[3].AsImageFile!.ImageFile.FileId);
        Assert.Null(message.Content[3].AsImageFile!.ImageFile.Detail);
    }

    [Fact]
    public async Task Attachments_and_their_tools_round_trip_as_the_tool_union_variants()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        MessageObject message = await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = "See the attached files.",
            Attachments =
            [
                new MessageAttachment { FileId = "file_csv", Tools = [new CodeInterpreterTool(), new FileSearchTool()] },
                new MessageAttachment { FileId = "file_pdf" },
            ],
        });

        Assert.Equal(2, message.Attachments!.Count);
        Assert.Equal("file_csv", message.Attachments[0].FileId);
        Assert.Equal(2, message.Attachments[0].Tools!.Count);
        Assert.True(message.Attachments[0].Tools![0].IsCodeInterpreter);
        Assert.Equal("code_interpreter", message.Attachments[0].Tools![0].AsCodeInterpreter!.Type);
        Assert.True(message.Attachments[0].Tools![1].IsFileSearch);
        Assert.Equal("file_pdf", message.Attachments[1].FileId);
        Assert.Empty(message.Attachments[1].Tools!);
    }

    [Fact]
    public async Task Getting_a_message_returns_what_createMessage_returned()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        MessageObject created = await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest
        {
            Role = CreateMessageRequestRole.User,
            Content = "Remember this.",
            Metadata = new Dictionary<string, string> { ["priority"] = "high" },
        });

        MessageObject fetched = await Client.GetMessageAsync(thread.Id, created.Id);

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.CreatedAt, fetched.CreatedAt);
        Assert.Equal(created.Role, fetched.Role);
        Assert.Equal("Remember this.", Assert.Single(fetched.Content).AsText!.Text.Value);
        Assert.Equal(new Dictionary<string, string> { ["priority"] = "high" }, fetched.Metadata);
    }

    [Fact]
    public async Task Modifying_a_message_replaces_its_metadata_and_keeps_its_content()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        MessageObject created = (await _api.AddMessagesAsync(thread.Id, 1))[0];

        MessageObject modified = await Client.ModifyMessageAsync(thread.Id, created.Id, new ModifyMessageRequest
        {
            Metadata = new Dictionary<string, string> { ["pinned"] = "true", ["by"] = "ana" },
        });
        MessageObject fetched = await Client.GetMessageAsync(thread.Id, created.Id);

        Assert.Equal(created.Id, modified.Id);
        Assert.Equal(new Dictionary<string, string> { ["pinned"] = "true", ["by"] = "ana" }, modified.Metadata);
        Assert.Equal(modified.Metadata, fetched.Metadata);
        Assert.Equal("m1", Assert.Single(fetched.Content).AsText!.Text.Value);
    }

    [Fact]
    public async Task Deleting_a_message_confirms_it_and_removes_it_from_the_thread()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 3);

        DeleteMessageResponse deleted = await Client.DeleteMessageAsync(thread.Id, messages[1].Id);
        ListMessagesResponse remaining = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);
        NotFoundException gone = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetMessageAsync(thread.Id, messages[1].Id));

        Assert.Equal(messages[1].Id, deleted.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal("thread.message.deleted", deleted.Object);
        Assert.Equal([messages[0].Id, messages[2].Id], remaining.Data.Select(message => message.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("getMessage", gone.OperationId);
        Assert.Equal($"No message found with id '{messages[1].Id}'.", gone.Error!.Message);
    }
}
