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
    private const string HeadersAndMediaTypes = "Headers and media types";
    private const string SchemaFidelity = "Schema fidelity";

    public static readonly IReadOnlyList<Cause> All = new Cause[]
    {
        new("credentials-not-sent", Verdict.NotYet, "Invalid security scheme used",
            "The document's security schemes want HTTP basic credentials (Twilio, Redocly's museum) or an API key in a header or the query (Adyen's `X-API-Key` header, or basic credentials instead; NYTimes' `api-key` query parameter; the Petstore's `api_key` header on `getInventory`), and Prism checks them. The client sends only `Authorization: Bearer <ApiKey>` until credentials per security scheme (`ApiClientOptions.Credentials`) land; the sweep sets every one of them, by reflection, as soon as they exist. A 401 fails the sweep all the same.")
        {
            Outcomes = [Outcome.Refused],
            Status = 401,
        },
        new("swagger2-form-sent-as-json", Verdict.ClientBug, "^request 415: Supported content types: application/x-www-form-urlencoded$",
            "Slack's operations take `formData` parameters and list `consumes: [application/x-www-form-urlencoded, application/json]`. In Swagger 2.0 `formData` travels only as a form (or multipart); Microsoft.OpenApi's 2.0 reader gives the body both media types, and the client picks JSON (`SetJsonBody`), so Prism answers 415. The client should send the form.")
        {
            Issue = HeadersAndMediaTypes,
            Outcomes = [Outcome.Refused],
            Status = 415,
            Document = "^slack/",
        },
        new("swagger2-success-without-schema-read-as-json", Verdict.ClientBug, "is not a valid JsonElement: The input does not contain any JSON tokens",
            "In Swagger 2.0 a response without `schema` has no body (Netlify's `204 No content`, `202` and `200 OK`, the Petstores' `201 Null response` and `204`). The generator still finds a JSON media type there (the 2.0 reader gives the response the document's `produces`), with no schema, and makes the value raw JSON (`JsonElement`); the client then throws on the empty body. A success without a schema should return no value.")
        {
            Issue = HeadersAndMediaTypes,
            Outcomes = [Outcome.Unreadable],
            Document = @"^(netlify/|oai/v2\.0/)",
        },
        new("swagger2-path-level-body-dropped", Verdict.ClientBug, "^request required: Body parameter is required$",
            "Netlify's `/builds/{build_id}/log` declares its required `in: body` parameter on the path item, not on the `post` operation. The generated method has no body argument (only the path-level `build_id` made it), so nothing is sent and Prism answers 422. Path-level body parameters apply to every operation of the path.")
        {
            Issue = "Swagger 2.0 reading",
            Outcomes = [Outcome.Refused],
            Status = 422,
            Document = "^netlify/",
        },
        new("allof-of-a-non-object-becomes-an-empty-class", Verdict.ClientBug, @"Expected StartObject for \w+ but found (String|True|False|Number|StartArray)",
            "Box writes members as an `allOf` of one real schema and keyword-only parts, such as `allOf: [{type: string, nullable: true}, {nullable: false}]` (its `sequence_id`, `description` and `event_type` members), booleans (`can_non_owners_invite`), arrays (`tags`, workflow `outcomes`), and map values as `allOf: [{}, {description}, {example}]`. The generator makes each such `allOf` an empty object class (`FolderMiniSequenceId`), so the client cannot read the string, boolean or array Prism sends, and the sweep cannot make a map value from the document's example. The `allOf` should take the type of its one typed part (any JSON, for `{}`).")
        {
            Issue = SchemaFidelity,
            Outcomes = [Outcome.Unreadable, Outcome.NotBuilt],
            Document = "^box/",
        },
        new("implied-discriminator-that-does-not-discriminate", Verdict.ClientBug, "The JSON for KeywordSkillCard has no 'entries'",
            "Box's `SkillCard` is a `oneOf` of four cards without a declared discriminator. Each requires `type` with the one value `skill_card`; they differ by `skill_card_type`. The generator takes `type` as the implied discriminator, so every card reads as the first variant (KeywordSkillCard), and the status card Prism sends fails for its missing `entries`. An implied discriminator must have a different value in each variant.")
        {
            Issue = SchemaFidelity,
            Outcomes = [Outcome.Unreadable],
            Document = "^box/",
        },
        new("content-header-parameter-on-the-request", Verdict.ClientBug, "^Misused header name, 'content-",
            "Box declares `Content-MD5` (file uploads) and `Content-Range` (upload session parts) as header parameters. The client adds every header parameter to the request's headers, where HttpClient refuses content headers (`Misused header name`), so the call throws before anything is sent. `Content-*` parameters belong on the body's headers.")
        {
            Issue = HeadersAndMediaTypes,
            Outcomes = [Outcome.ClientException],
            ExceptionType = nameof(System.InvalidOperationException),
            Document = "^box/",
        },
        new("nullable-ignored-in-an-openapi-3-1-document", Verdict.ClientBug, "not a valid (RunObject|ListRunsResponse): Cannot get the value of a token type 'Null' as a number",
            "OpenAI's document declares `openapi: 3.1.0` but marks members the 3.0 way, `type: integer, nullable: true` (RunObject's `cancelled_at`, `completed_at`, `started_at`, `failed_at`, `expires_at`, `max_completion_tokens`, `max_prompt_tokens`). 3.1 has no `nullable`, and the generator follows that: the members are required, non-nullable `DateTimeOffset` and `long`. Prism honours `nullable` and sends null, as OpenAI's API does for a run that has not been cancelled or finished. The generator should honour `nullable: true` in 3.1 documents too; otherwise no real run can be read.")
        {
            Issue = SchemaFidelity,
            Outcomes = [Outcome.Unreadable],
            Document = "^openai/",
        },
        new("empty-multipart-body", Verdict.ClientBug, "^the connection failed",
            "Netlify's `createSiteBuild` takes an optional multipart body whose only field (`zip`) is optional and has no example, so the sweep sends the body with no field set. The client then sends `--boundary` CRLF CRLF `--boundary--`: one part without the `Content-Disposition` that RFC 7578 requires of every part. Prism's multipart parser (parse-multipart-data) throws on it and the Prism process dies; the sweep restarts it. With no field to send, the client should send no body (or no part).")
        {
            Issue = HeadersAndMediaTypes,
            Outcomes = [Outcome.PrismFailed],
            ExceptionType = "ApiConnectionException",
            Document = "^netlify/",
            Operation = "^createSiteBuild$",
        },
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
        new("prism-json-schema-faker-throws", Verdict.PrismLimit, @"^UNKNOWN: (Error: Prop not found: paths|TypeError: Cannot read properties of undefined \(reading 'items'\))",
            "Prism's response generator, json-schema-faker 0.5.8, throws and Prism answers 500. `Prop not found: paths`: on Xero's schemas that refer to each other in cycles (Invoice, CreditNote, Payment, Overpayment, Prepayment, Allocation...), past its reference depth it looks a `$ref` into the document's `paths` up in the response schema it was given, which has none. `reading 'items'`: its clean-up of empty members (`shouldClean`) meets a value whose schema it has lost (Xero, Slack). There is no response to read.")
        {
            Outcomes = [Outcome.PrismFailed],
            Status = 500,
        },
        new("prism-writes-a-pattern-into-an-integer", Verdict.PrismLimit, "ChatScheduledMessagesListResponse: Cannot get the value of a token type 'String' as a number",
            "Slack's scheduled messages declare `post_at` and `date_created` as `type: integer` with `pattern: ^\\d{10}$`. A pattern applies to strings only, so the value must be an integer; json-schema-faker writes a string that matches the pattern (`\"post_at\":\"5348337143\"`), which breaks the schema.")
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
        new("prism-reads-one-value-per-multipart-part", Verdict.PrismLimit, " type: Request body property \\w+ must be array$",
            "OpenAI's transcription form has array members without an `encoding`; the sweep sends `timestamp_granularities` (its example, `[word]`), which the client writes as one part per item. Prism keeps one value per part name (the last) and makes an array only for members whose `encoding` gives a style, so the member is a string to it, and it refuses `type: array`.")
        {
            Outcomes = [Outcome.Refused],
            Status = 422,
            Document = "^openai/",
            Operation = "^createTranscription$",
        },
        new("prism-cannot-generate-without-a-schema", Verdict.PrismLimit, "Tried to force a dynamic response for: application/json but schema is not defined",
            "The document gives these responses examples but no schema. In dynamic mode Prism generates from the schema only, and answers 500; there is no response to read.")
        {
            Outcomes = [Outcome.PrismFailed],
            Status = 500,
        },
    };

    /// <summary>The first cause that explains <paramref name="finding"/>, or null.</summary>
    public static Cause? Explain(string document, string operationId, Finding finding) =>
        All.FirstOrDefault(cause => cause.Matches(document, operationId, finding));
}
