using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>
/// Bodies and responses that are not JSON, sent and read by the generated client through the real
/// runtime: exactly the bytes a server would receive.
/// </summary>
public sealed class RequestContentTests
{
    [Fact]
    public async Task A_form_body_sends_scalars_repeated_arrays_deep_objects_and_the_encodings_the_spec_declares()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("FormBody");
        var handler = RecordingHandler.Answering(HttpStatusCode.Created, """{"sid":"SM1"}""");
        object client = generated.Client(handler);
        object body = generated.Read("CreateMessageRequest", """
            {
              "To": "+15551234567", "Body": "Hello world & more", "MaxPrice": 0.5, "ProvideFeedback": true,
              "StatusCallbackEvent": ["initiated", "ringing"], "SendAt": "2024-05-01T12:30:00+00:00",
              "Attributes": { "priority": 2, "labels": ["x", "y"] },
              "Metadata": { "k": "v" }, "Tags": ["t1", "t2"]
            }
            """);

        object? message = await GeneratedAssembly.CallAsync(client, "CreateMessageAsync", "AC1", body, null, CancellationToken.None);

        Assert.Equal("SM1", GeneratedAssembly.Get(message!, "Sid"));
        SentRequest call = handler.Last;
        Assert.Equal("POST", call.Method);
        Assert.Equal("/Accounts/AC1/Messages.json", call.PathAndQuery);
        Assert.Equal("application/x-www-form-urlencoded", call.Header("Content-Type"));
        Assert.Equal(
            "To=%2B15551234567&Body=Hello+world+%26+more&MaxPrice=0.5&ProvideFeedback=true"
            + "&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&SendAt=2024-05-01T12%3A30%3A00%2B00%3A00"
            + "&Attributes%5Bpriority%5D=2&Attributes%5Blabels%5D%5B0%5D=x&Attributes%5Blabels%5D%5B1%5D=y"
            + "&Metadata=%7B%22k%22%3A%22v%22%7D&Tags=t1%7Ct2",
            call.BodyText);
    }

    [Fact]
    public async Task An_optional_form_body_left_out_sends_no_body_and_an_unset_member_sends_no_field()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("FormBody");
        var handler = RecordingHandler.Answering(body: """{"access_token":"t"}""");
        object client = generated.Client(handler);

        await GeneratedAssembly.CallAsync(client, "CreateTokenAsync", null, null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "CreateTokenAsync", generated.Read("TokenRequest", """{"grant_type":"client_credentials"}"""), null, CancellationToken.None);

        Assert.Null(handler.Requests[0].BodyBytes);
        Assert.Null(handler.Requests[0].Header("Content-Type"));
        Assert.Equal("grant_type=client_credentials", handler.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_multipart_body_sends_the_file_with_its_name_and_type_and_every_other_member_as_a_field()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = RecordingHandler.Answering(body: """{"id":"file_1"}""");
        object client = generated.Client(handler);
        object body = generated.Read("CreateFileRequest", """{"file":"","purpose":"fine-tune","expires_after":{"seconds":3600},"tags":["a","b"]}""");
        GeneratedAssembly.Set(body, "File", new FileUpload(Encoding.UTF8.GetBytes("{\"prompt\":1}\n"), "train.jsonl", "application/x-ndjson"));

        await GeneratedAssembly.CallAsync(client, "CreateFileAsync", body, null, CancellationToken.None);

        List<Part> parts = Multipart.Parse(handler.Last);
        Assert.Equal(new[] { "file", "purpose", "expires_after", "tags", "tags" }, parts.Select(p => p.Name));
        Assert.Equal("train.jsonl", parts[0].FileName);
        Assert.Equal("application/x-ndjson", parts[0].ContentType);
        Assert.Equal("{\"prompt\":1}\n", parts[0].Text);
        Assert.Equal(("fine-tune", (string?)null, (string?)null), (parts[1].Text, parts[1].ContentType, parts[1].FileName));
        Assert.Equal(("""{"seconds":3600}""", "application/json"), (parts[2].Text, parts[2].ContentType));
        Assert.Equal(new[] { "a", "b" }, new[] { parts[3].Text, parts[4].Text });
    }

    [Fact]
    public async Task A_file_without_a_name_or_type_is_named_after_its_field_and_typed_by_the_spec_encoding()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = RecordingHandler.Answering(body: """{"id":"file_1"}""");
        object client = generated.Client(handler);
        object body = generated.Read("CreateFileRequest", """{"file":"","purpose":"batch"}""");
        GeneratedAssembly.Set(body, "File", (FileUpload)new MemoryStream(new byte[] { 1, 2, 3 }));

        await GeneratedAssembly.CallAsync(client, "CreateFileAsync", body, null, CancellationToken.None);

        Part file = Multipart.Parse(handler.Last)[0];
        Assert.Equal("file", file.FileName);
        Assert.Equal("application/jsonl", file.ContentType);
        Assert.Equal(new byte[] { 1, 2, 3 }, file.Bytes);
    }

    [Fact]
    public async Task A_union_of_one_file_or_several_sends_one_part_per_file()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = RecordingHandler.Answering(body: """{"id":"img"}""");
        object client = generated.Client(handler);
        object body = generated.Read("CreateImageEditRequest", """{"image":"","prompt":"add a hat","n":2,"options":{"quality":"high"}}""");
        object images = generated.CallStatic("CreateImageEditRequestImage", "FromFiles", new List<FileUpload> { new(new byte[] { 1 }, "a.png", "image/png"), new(new byte[] { 2 }, "b.png", "image/png") })!;
        GeneratedAssembly.Set(body, "Image", images);
        GeneratedAssembly.Set(body, "Mask", new FileUpload(new byte[] { 3 }, "mask.png"));

        await GeneratedAssembly.CallAsync(client, "CreateImageEditAsync", body, null, CancellationToken.None);

        List<Part> parts = Multipart.Parse(handler.Last);
        Assert.Equal(new[] { "image", "image", "mask", "prompt", "n", "options" }, parts.Select(p => p.Name));
        Assert.Equal(new[] { "a.png", "b.png", "mask.png" }, parts.Take(3).Select(p => p.FileName));
        Assert.Equal("application/octet-stream", parts[2].ContentType);
        Assert.Equal("2", parts[4].Text);
        Assert.Equal("application/json", parts[5].ContentType);
    }

    [Fact]
    public async Task A_seekable_upload_is_sent_again_whole_on_a_retry()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        int tries = 0;
        var handler = new RecordingHandler(() => new HttpResponseMessage(++tries == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent));
        object client = generated.Client(handler, maxRetries: 1);
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("0123456789"));
        stream.Position = 2;

        await GeneratedAssembly.CallAsync(client, "UploadDataAsync", "up_1", new FileUpload(stream, contentType: "text/plain"), null, CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, call => Assert.Equal("23456789", call.BodyText));
        Assert.All(handler.Requests, call => Assert.Equal("text/plain", call.Header("Content-Type")));
        Assert.Equal("/uploads/up_1/data", handler.Last.PathAndQuery);
        Assert.True(stream.CanRead, "Specgen must leave the caller's stream open.");
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_not_sent_half_on_a_retry()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = new RecordingHandler(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        object client = generated.Client(handler, maxRetries: 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GeneratedAssembly.CallAsync(client, "UploadDataAsync", "up_1", (FileUpload)new ForwardOnlyStream(new byte[] { 1, 2 }), null, CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Contains("cannot be rewound", error.Message);
        Assert.Contains("seekable", error.Message);
    }

    [Fact]
    public async Task A_file_download_is_an_open_stream_of_the_response_and_asks_for_the_spec_media_types()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        byte[] content = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var handler = RecordingHandler.AnsweringBytes(content, "application/octet-stream");
        object client = generated.Client(handler);

        using var stream = (Stream)(await GeneratedAssembly.CallAsync(client, "DownloadFileAsync", "file 1", null, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
        Assert.Equal("/files/file%201/content", handler.Last.PathAndQuery);
        Assert.Equal("application/octet-stream", handler.Last.Header("Accept"));
    }

    [Fact]
    public async Task The_raw_response_of_a_download_has_the_status_and_headers_and_a_JSON_body_request_gets_audio_back()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = RecordingHandler.AnsweringBytes(new byte[] { 0xFF, 0xF3 }, "audio/mpeg");
        object client = generated.Client(handler);
        object body = generated.Read("CreateSpeechRequest", """{"input":"Hi"}""");

        await using var response = (StreamingResponse)(await GeneratedAssembly.CallAsync(client, "CreateSpeechWithResponseAsync", body, null, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await response.Body.CopyToAsync(copy);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("audio/mpeg", response.Headers["Content-Type"]);
        Assert.Equal(new byte[] { 0xFF, 0xF3 }, copy.ToArray());
        Assert.Equal("audio/mpeg, audio/wav", handler.Last.Header("Accept"));
        Assert.Equal("""{"input":"Hi"}""", handler.Last.BodyText);
    }

    [Fact]
    public async Task Text_bodies_and_responses_are_strings_in_the_response_charset()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = new RecordingHandler(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(Encoding.Latin1.GetBytes("caf\u00e9,1\n")) { Headers = { { "Content-Type", "text/csv; charset=iso-8859-1" } } },
        });
        object client = generated.Client(handler);

        object? report = await GeneratedAssembly.CallAsync(client, "GetReportAsync", null, CancellationToken.None);
        object? echo = await GeneratedAssembly.CallAsync(client, "CreateNoteAsync", "n\u00f6te", null, CancellationToken.None);

        Assert.Equal("caf\u00e9,1\n", report);
        Assert.Equal("caf\u00e9,1\n", echo);
        Assert.Equal("text/csv", handler.Requests[0].Header("Accept"));
        Assert.Equal("text/plain; charset=utf-8", handler.Requests[1].Header("Content-Type"));
        Assert.Equal("n\u00f6te", handler.Requests[1].BodyText);
    }

    [Theory]
    [InlineData("{\"prompt\":1}\n{\"prompt\":2}\n", "application/json", "{\"prompt\":1}\n{\"prompt\":2}\n")]
    [InlineData("\"a \\\"quoted\\\" string\"", "application/json", "a \"quoted\" string")]
    [InlineData("plain text", "text/plain", "plain text")]
    public async Task A_response_declared_as_a_JSON_string_is_its_value_or_else_the_raw_text(string body, string contentType, string expected)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        var handler = RecordingHandler.Answering(body: body, contentType: contentType);
        object client = generated.Client(handler);

        object? content = await GeneratedAssembly.CallAsync(client, "RetrieveFileContentAsync", "file-1", null, CancellationToken.None);

        Assert.Equal(expected, content);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    internal sealed record Part(string Name, string? FileName, string? ContentType, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>A small multipart/form-data reader: enough to see what each part carries.</summary>
    internal static class Multipart
    {
        public static List<Part> Parse(SentRequest call)
        {
            string contentType = call.Header("Content-Type")!;
            Assert.StartsWith("multipart/form-data; boundary=", contentType);
            string boundary = contentType.Substring(contentType.IndexOf("boundary=", StringComparison.Ordinal) + 9).Trim('"');
            string body = Encoding.Latin1.GetString(call.BodyBytes!);
            var parts = new List<Part>();
            foreach (string raw in body.Split("--" + boundary).Skip(1))
            {
                if (raw.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                int split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                string[] headers = raw.Substring(2, split - 2).Split("\r\n");
                string content = raw.Substring(split + 4, raw.Length - split - 6);
                string disposition = headers.Single(h => h.StartsWith("Content-Disposition:", StringComparison.OrdinalIgnoreCase));
                parts.Add(new Part(
                    Attribute(disposition, "name")!,
                    Attribute(disposition, "filename"),
                    headers.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?.Substring(13).Trim(),
                    Encoding.Latin1.GetBytes(content)));
            }

            return parts;
        }

        private static string? Attribute(string header, string name)
        {
            foreach (string piece in header.Split(';').Select(p => p.Trim()))
            {
                if (piece.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    return piece.Substring(name.Length + 1).Trim('"');
                }
            }

            return null;
        }
    }
}
