using System.Collections.Generic;
using System.Linq;

namespace Specgen.Conformance.Tests.Outcomes;

/// <summary>
/// Every known reason why a call of the sweep does not end accepted and read. Each entry was
/// checked against the document, the generated code and Prism's answer; its explanation says
/// what was found. A failure no entry matches fails the sweep: whoever makes it appear must find
/// its cause and add it here. An entry that matches nothing any more fails the page test, so the
/// catalog never explains what no longer happens.
/// </summary>
internal static class CauseCatalog
{
    public static readonly IReadOnlyList<Cause> All = new Cause[]
    {
        new("equivalent-path-templates", Verdict.DocumentError, @"^path\.(\w+) (format|type): Request path parameter \1 must",
            "Xero declares `/Contacts/{ContactID}` (a uuid) beside `/Contacts/{ContactNumber}`, and `/Journals/{JournalID}` beside `/Journals/{JournalNumber}` (an integer): templates that differ only in their parameter's name, which OpenAPI forbids (SPEC004 above). No server can tell them apart; Prism routes the request to the other template and refuses its value there.")
        {
            Outcomes = [Outcome.Refused],
            Status = 422,
            Document = "^xero/",
        },
        new("operation-variants-told-apart-by-a-fragment", Verdict.DocumentError, "The JSON for AppItem has no 'application_type'",
            "Box documents variants of one endpoint as paths with a fragment (`/shared_items#app_items`, `/files/{file_id}#get_shared_link`). A fragment is not part of the request: the call reaches `/shared_items`, and Prism answers as that operation does (a file), which the client cannot read as an app item. (The client also writes the `#` into the request line as it is, where it should be `%23`; the answer would be no better.)")
        {
            Outcomes = [Outcome.Unreadable],
            Document = "^box/",
            Operation = "#",
        },
        new("required-member-not-declared", Verdict.DocumentError, "^request\\.body required: Request body must have required property 'grant_type'$",
            "Box's `PostOAuth2Revoke` lists `grant_type` as required but declares no such member (its members are `client_id`, `client_secret` and `token`). The sweep sends `grant_type=sweep` all the same, but Prism decodes a form by the members the schema declares, so the required one is missing whatever a client sends.")
        {
            Outcomes = [Outcome.Refused],
            Status = 400,
            Document = "^box/",
        },
        new("type-list-in-swagger-2", Verdict.DocumentError, "Expected StartArray for ObjsUserProfile.fields but found Null",
            "Slack's `objs_user_profile.fields` is `type: [object, null, array]`, a list Swagger 2.0 does not allow (SPEC004 above). The reader drops it, so the client types `fields` from its `items` as a list that cannot be null; Prism reads the list and sends null.")
        {
            Outcomes = [Outcome.Unreadable],
            Document = "^slack/",
        },
        new("prism-writes-a-pattern-into-an-integer", Verdict.PrismLimit, "(ChatScheduledMessagesListResponse|ChatScheduleMessageResponse): Cannot get the value of a token type 'String' as a number",
            "Slack's scheduled messages (`chat.scheduledMessages.list`, and the answer of `chat.scheduleMessage`) declare `post_at` and `date_created` as `type: integer` with `pattern: ^\\d{10}$`. A pattern applies to strings only, so the value must be an integer; json-schema-faker writes a string that matches the pattern (`\"post_at\":\"5348337143\"`), which breaks the schema.")
        {
            Outcomes = [Outcome.Unreadable],
            Document = "^slack/",
        },
        new("prism-mixes-the-variants-of-a-oneof", Verdict.PrismLimit, "GuildJoinRequestsListResponse: Cannot get the value of a token type 'String' as a boolean",
            "Discord's join request `form_responses` items are a `oneOf` of four field responses, each with its own `field_type` (an enum of one value, beside an `allOf` of the enum of all four). Prism sent `{\"field_type\":\"TERMS\",\"response\":\"...\",\"label\":...}`: the TERMS type with a paragraph's string response and without the `values` TERMS requires, which matches no variant. The client goes by `field_type` and cannot read a string as the TERMS answer's boolean.")
        {
            Outcomes = [Outcome.Unreadable],
            Document = "^discord/",
        },
        new("prism-reads-one-value-per-form-field", Verdict.PrismLimit, " type: Request body property \\w+ must be array$",
            "A form or multipart body sends an array member as one field (or part) per item, OpenAPI's default (`style: form`, `explode: true`): `MediaUrl=...` for Twilio's one-item `MediaUrl`, one part per item of OpenAI's transcription `timestamp_granularities` (its example, `[word]`). Prism keeps one value per name unless the name repeats, so a one-item array is a string to it, and it refuses `type: array`. A server that reads the form by its schema, as Twilio's and OpenAI's do, takes it.")
        {
            Outcomes = [Outcome.Refused],
            Status = 422,
        },
        new("prism-reads-a-json-part-as-text", Verdict.PrismLimit, "^request\\.body\\.\\w+ type: Request body property \\w+ must be object$",
            "Box's uploads send `attributes`, an object, as a multipart part of `Content-Type: application/json`, as OpenAPI says an object part goes (the sweep records the part it sent). Prism does not parse a JSON part: the member is text to it, and it refuses `type: object` (400 or 422, as the operation declares).")
        {
            Outcomes = [Outcome.Refused],
            Document = "^box/",
        },
        new("prism-writes-text-that-is-not-base64", Verdict.PrismLimit, "should be base64 text but is",
            "Adyen's `ThreeDSecureData.cavv` is `type: string, format: byte` (base64). json-schema-faker ignores the format and writes any short string (`\"sNn\"`, three characters, which no base64 text is), which breaks the schema; the client reads base64 into bytes and says so, naming the member.")
        {
            Outcomes = [Outcome.Unreadable],
            Document = "^adyen/",
        },
        new("redirect-as-the-only-response", Verdict.PrismLimit, "^Refused 307:|^\\{",
            "Twilio's `FetchRecordingAddOnResultPayloadData` declares one response, `307 Temporary Redirect` to where the payload's data is. Prism answers 307 with a body and no `Location`, so there is nowhere to follow it to; HttpClient follows a real 307, which has one, to the data.")
        {
            Outcomes = [Outcome.Refused],
            Status = 307,
            Document = "^twilio/",
        },
    };

    /// <summary>The first cause that explains <paramref name="finding"/>, or null.</summary>
    public static Cause? Explain(string document, string operationId, Finding finding) =>
        All.FirstOrDefault(cause => cause.Matches(document, operationId, finding));
}
