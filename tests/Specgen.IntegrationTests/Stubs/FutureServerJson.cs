namespace Specgen.IntegrationTests.Stubs;

/// <summary>
/// Responses of an imagined newer server: members, content part types and enum values that our
/// spec does not know yet. Every member of the spec is present, so that writing a model back must
/// reproduce the document exactly.
/// </summary>
internal static class FutureServerJson
{
    public const string Message = """
        {
          "id": "msg_future",
          "object": "thread.message",
          "created_at": 1767225600,
          "thread_id": "thread_future",
          "status": "archived",
          "incomplete_details": null,
          "completed_at": 1767225601,
          "incomplete_at": null,
          "role": "user",
          "content": [
            { "type": "text", "text": { "value": "Look at this", "annotations": [], "language": "en" } },
            { "type": "video", "video": { "url": "https://example.com/tram28.mp4", "duration_seconds": 12.5 } },
            { "type": "refusal", "refusal": "I cannot describe that." }
          ],
          "assistant_id": null,
          "run_id": null,
          "attachments": [],
          "metadata": { "topic": "trams" },
          "reactions": { "thumbs_up": 3, "by": ["ana", "rui"] },
          "pinned": true
        }
        """;

    public const string UnknownPart = """{ "type": "video", "video": { "url": "https://example.com/tram28.mp4", "duration_seconds": 12.5 } }""";

    public const string MessagePage = """
        {
          "object": "list",
          "data": [
        """ + Message + """
          ],
          "first_id": "msg_future",
          "last_id": "msg_future",
          "has_more": false,
          "total": 1
        }
        """;
}
