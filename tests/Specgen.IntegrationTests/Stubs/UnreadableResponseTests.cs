using System;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>
/// A success status with a body that is not the declared JSON is an <see cref="InvalidResponseException"/>
/// that names the operation and the status; never a <see cref="NullReferenceException"/> or a half-read model.
/// </summary>
public sealed class UnreadableResponseTests
{
    private const string ThreadJsonHead = """{"id":"thread_1","object":"thread","created_at":1767225600,"tool_resources":{},"metadata":{}""";

    /// <summary>A name for the case and the 200 body a getThread call receives.</summary>
    public static TheoryData<string, string> UnreadableThreadBodies => new()
    {
        { "html from a proxy", "<html><body>Bad gateway</body></html>" },
        { "a body cut off mid-number", """{"id":"thread_1","object":"thread","created_at":17""" },
        { "a body cut off before the closing brace", ThreadJsonHead },
        { "whitespace only", "  \n " },
        { "JSON null", "null" },
        { "a JSON array", "[]" },
        { "a JSON string", "\"thread_1\"" },
        { "a missing required id", """{"object":"thread","created_at":1767225600,"tool_resources":null,"metadata":null}""" },
        { "a missing required created_at", """{"id":"thread_1","object":"thread","tool_resources":null,"metadata":null}""" },
        { "a null id", """{"id":null,"object":"thread","created_at":1767225600,"tool_resources":null,"metadata":null}""" },
        { "created_at as text", """{"id":"thread_1","object":"thread","created_at":"yesterday","tool_resources":null,"metadata":null}""" },
        { "created_at as a fraction", """{"id":"thread_1","object":"thread","created_at":1.5,"tool_resources":null,"metadata":null}""" },
        { "created_at beyond a long", """{"id":"thread_1","object":"thread","created_at":123456789012345678901234567890,"tool_resources":null,"metadata":null}""" },
        { "metadata as an array", """{"id":"thread_1","object":"thread","created_at":1767225600,"tool_resources":null,"metadata":["a"]}""" },
        { "a metadata value that is a number", """{"id":"thread_1","object":"thread","created_at":1767225600,"tool_resources":null,"metadata":{"n":1}}""" },
        { "tool_resources as a string", """{"id":"thread_1","object":"thread","created_at":1767225600,"tool_resources":"none","metadata":null}""" },
        { "file_ids that are not strings", """{"id":"thread_1","object":"thread","created_at":1767225600,"tool_resources":{"code_interpreter":{"file_ids":[1]}},"metadata":null}""" },
        { "two documents", ThreadJsonHead + "}{}" },
    };

    [Theory]
    [MemberData(nameof(UnreadableThreadBodies))]
    public async Task An_unreadable_200_body_for_getThread_throws_InvalidResponseException_naming_the_operation_and_status(string problem, string body)
    {
        await using StubServer server = await StubServer.RespondingAsync(200, body);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(() => client.GetThreadAsync("thread_1"));

        Assert.Equal("getThread", error.OperationId);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Contains("getThread", error.Message, StringComparison.Ordinal);
        Assert.Contains("200", error.Message, StringComparison.Ordinal);
        Assert.Equal("req_stub", error.RequestId);
        Assert.Equal(body, error.RawBody);
        Assert.NotNull(error.InnerException);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public async Task An_empty_200_body_is_a_success_without_content_not_an_error()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, string.Empty);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        ApiResponse<ThreadObject> response = await client.GetThreadWithResponseAsync("thread_1");
        ThreadObject value = await client.GetThreadAsync("thread_1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(response.HasValue);
        Assert.Null(response.Value);
        Assert.Null(value);
    }

    /// <summary>Broken message bodies: the nested readers (unions, enums, lists) fail the same way.</summary>
    public static TheoryData<string, string> UnreadableMessageBodies => new()
    {
        { "content that is not an array", Message(content: "\"hello\"") },
        { "content missing", Message(content: null) },
        { "a text part without its text", Message(content: """[{"type":"text"}]""") },
        { "a text part whose text is a string", Message(content: """[{"type":"text","text":"hello"}]""") },
        { "an image part without the image", Message(content: """[{"type":"image_file"}]""") },
        { "an annotation without its indices", Message(content: """[{"type":"text","text":{"value":"v","annotations":[{"type":"file_path","text":"t","file_path":{"file_id":"f"}}]}}]""") },
        { "a null role", Message(content: "[]", role: "null") },
        { "a numeric status", Message(content: "[]", status: "3") },
        { "a body cut off inside a content part", CutBefore(Message(content: """[{"type":"text","text":{"value":"v","annotations":[]}}]"""), "\"annotations\"") },
    };

    [Theory]
    [MemberData(nameof(UnreadableMessageBodies))]
    public async Task An_unreadable_200_body_for_getMessage_throws_InvalidResponseException(string problem, string body)
    {
        await using StubServer server = await StubServer.RespondingAsync(200, body);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(() => client.GetMessageAsync("thread_1", "msg_1"));

        Assert.Equal("getMessage", error.OperationId);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Contains("getMessage", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public async Task A_200_body_with_invalid_utf8_in_a_string_throws_InvalidResponseException()
    {
        byte[] body = Encoding.UTF8.GetBytes(ThreadJsonHead.Replace("thread_1", "thread_\u0001", StringComparison.Ordinal) + "}");
        body[Array.IndexOf(body, (byte)1)] = 0xFF;
        await using StubServer server = await StubServer.RespondingAsync(200, body);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(() => client.GetThreadAsync("thread_1"));

        Assert.Equal("getThread", error.OperationId);
    }

    [Fact]
    public async Task A_created_at_beyond_the_year_9999_throws_InvalidResponseException()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, """{"id":"thread_1","object":"thread","created_at":253402300800,"tool_resources":null,"metadata":null}""");
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(() => client.GetThreadAsync("thread_1"));

        Assert.Equal("getThread", error.OperationId);
        Assert.Equal(HttpStatusCode.OK, error.Status);
    }

    [Fact]
    public async Task A_server_error_with_an_html_body_throws_ServerErrorException_with_the_raw_body_and_no_parsed_error()
    {
        await using StubServer server = await StubServer.RespondingAsync(503, "<html>Service Unavailable</html>", "text/html");
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => client.DeleteThreadAsync("thread_1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal("deleteThread", error.OperationId);
        Assert.Null(error.Error);
        Assert.Equal("<html>Service Unavailable</html>", error.RawBody);
    }

    [Fact]
    public async Task A_well_formed_thread_from_a_stub_is_read_so_the_cases_above_fail_only_for_their_defect()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, ThreadJsonHead + "}");
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        ThreadObject thread = await client.GetThreadAsync("thread_1");

        Assert.Equal("thread_1", thread.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), thread.CreatedAt);
    }

    /// <summary>A message body; <paramref name="content"/> null leaves the member out.</summary>
    private static string Message(string? content, string role = "\"user\"", string status = "\"completed\"") =>
        "{\"id\":\"msg_1\",\"object\":\"thread.message\",\"created_at\":1767225600,\"thread_id\":\"thread_1\","
        + $"\"status\":{status},\"incomplete_details\":null,\"completed_at\":null,\"incomplete_at\":null,\"role\":{role},"
        + (content is null ? "" : $"\"content\":{content},")
        + "\"assistant_id\":null,\"run_id\":null,\"attachments\":null,\"metadata\":{}}";

    private static string CutBefore(string json, string marker) => json[..json.IndexOf(marker, StringComparison.Ordinal)];
}
