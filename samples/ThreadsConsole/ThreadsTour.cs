using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;
using ThreadsConsole.OpenAI;

namespace ThreadsConsole;

/// <summary>
/// The whole Threads and Messages flow, only through the generated <see cref="ThreadsClient"/>:
/// create, read, change, page through, delete, and the typed error for what is gone.
/// </summary>
public static class ThreadsTour
{
    /// <summary>A client for <paramref name="baseAddress"/> with the header the Assistants API needs.</summary>
    public static ThreadsClient CreateClient(Uri baseAddress, string? apiKey, HttpClient? httpClient = null)
    {
        var options = new ApiClientOptions { BaseAddress = baseAddress, ApiKey = apiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        return new ThreadsClient(options, httpClient);
    }

    public static async Task RunAsync(Uri baseAddress, string? apiKey, TextWriter output, CancellationToken cancellationToken = default)
    {
        var pageCounter = new ListRequestCounter { InnerHandler = new SocketsHttpHandler() };
        using var httpClient = new HttpClient(pageCounter);
        ThreadsClient client = CreateClient(baseAddress, apiKey, httpClient);

        // 1. A thread that starts with two user messages and some metadata.
        ThreadObject thread = await client.CreateThreadAsync(
            new CreateThreadRequest
            {
                Messages =
                [
                    new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello! I am planning a trip to Lisbon." },
                    new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Which neighbourhoods should I stay in?" },
                ],
                Metadata = new Dictionary<string, string> { ["topic"] = "travel", ["source"] = "specgen-sample" },
            },
            cancellationToken: cancellationToken);
        output.WriteLine($"1. Created thread {thread.Id} at {thread.CreatedAt:u} with metadata {Show(thread.Metadata)}");

        // 2. Read it back.
        ThreadObject fetched = await client.GetThreadAsync(thread.Id, cancellationToken: cancellationToken);
        output.WriteLine($"2. Retrieved thread {fetched.Id}: metadata {Show(fetched.Metadata)}");

        // 3. Change its metadata.
        ThreadObject modified = await client.ModifyThreadAsync(
            thread.Id,
            new ModifyThreadRequest { Metadata = new Dictionary<string, string> { ["topic"] = "travel", ["status"] = "planning" } },
            cancellationToken: cancellationToken);
        output.WriteLine($"3. Modified thread metadata: {Show(modified.Metadata)}");

        // 4. A message whose content is an array of parts: text and an image by URL.
        MessageObject withParts = await client.CreateMessageAsync(
            thread.Id,
            new CreateMessageRequest
            {
                Role = CreateMessageRequestRole.User,
                Content = new List<MessageContentPartInput>
                {
                    new MessageContentTextInput { Text = "Here is the view from the hotel I like:" },
                    new MessageContentImageUrl { ImageUrl = new ImageUrlReference { Url = "https://example.com/lisbon-view.png", Detail = ImageUrlReferenceDetail.Low } },
                },
            },
            cancellationToken: cancellationToken);
        output.WriteLine($"4. Added message {withParts.Id} with {withParts.Content.Count} parts: {Describe(withParts)}");

        // 5. Every message, two per page: the auto-pager asks for the next page when it needs it.
        output.WriteLine("5. Messages, oldest first, two per page:");
        pageCounter.Reset();
        var listed = new List<MessageObject>();
        await foreach (MessageObject message in client.ListMessagesAutoPagingAsync(thread.Id, limit: 2, order: ListMessagesOrder.Asc, cancellationToken: cancellationToken))
        {
            listed.Add(message);
            output.WriteLine($"   {message.Id} [{message.Role}] {Describe(message)}");
        }

        output.WriteLine($"   ({listed.Count} messages in {pageCounter.Count} pages)");

        // 6. One message: read it, then tag it.
        MessageObject first = await client.GetMessageAsync(thread.Id, listed[0].Id, cancellationToken: cancellationToken);
        output.WriteLine($"6. Retrieved message {first.Id} [{first.Role}]: {Describe(first)}");
        MessageObject tagged = await client.ModifyMessageAsync(
            thread.Id,
            first.Id,
            new ModifyMessageRequest { Metadata = new Dictionary<string, string> { ["pinned"] = "true" } },
            cancellationToken: cancellationToken);
        output.WriteLine($"   Modified its metadata: {Show(tagged.Metadata)}");

        // 7-8. Delete a message, then the thread.
        DeleteMessageResponse deletedMessage = await client.DeleteMessageAsync(thread.Id, listed[1].Id, cancellationToken: cancellationToken);
        output.WriteLine($"7. Deleted message {deletedMessage.Id}: {deletedMessage.Deleted}");
        DeleteThreadResponse deletedThread = await client.DeleteThreadAsync(thread.Id, cancellationToken: cancellationToken);
        output.WriteLine($"8. Deleted thread {deletedThread.Id}: {deletedThread.Deleted}");

        // 9. What is deleted is gone: the typed not-found exception says so.
        try
        {
            await client.GetThreadAsync(thread.Id, cancellationToken: cancellationToken);
            throw new InvalidOperationException($"Thread {thread.Id} can still be retrieved after it was deleted.");
        }
        catch (NotFoundException notFound)
        {
            output.WriteLine($"9. Retrieving the deleted thread raised {nameof(NotFoundException)} ({(int)notFound.Status}): {notFound.Error?.Message}");
        }
    }

    private static string Show(IDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0 ? "{}" : "{" + string.Join(", ", metadata.Select(pair => $"{pair.Key}={pair.Value}")) + "}";

    private static string Describe(MessageObject message) => string.Join(" + ", message.Content.Select(Describe));

    private static string Describe(MessageContentPart part) => part switch
    {
        { AsText: { } text } => $"\"{text.Text.Value}\"",
        { AsImageUrl: { } image } => $"image {image.ImageUrl.Url}",
        { AsImageFile: { } file } => $"image file {file.ImageFile.FileId}",
        { AsRefusal: { } refusal } => $"refusal \"{refusal.Refusal}\"",
        _ => "(a content part this client does not know)",
    };

    /// <summary>Counts list requests, to show that the pager really fetched more than one page.</summary>
    private sealed class ListRequestCounter : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
