using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>
/// What the conformance sweep (tests/Specgen.Conformance.Tests) found wrong in generated clients,
/// each pinned by a small document of its own shaped like the published one that showed it.
/// </summary>
public sealed class SweepFoundTests
{
    [Fact]
    public void An_allOf_of_one_typed_part_and_parts_that_only_describe_it_is_that_part()
    {
        // Box's members: a string made not-nullable again, a reference given its own description,
        // and map values that are any JSON.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.0.0
            info: { title: Box, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Folder:
                  type: object
                  properties:
                    sequence_id:
                      allOf: [{ type: string, nullable: true, example: '3' }, { nullable: false }]
                    owner:
                      allOf: [{ $ref: '#/components/schemas/User' }, { description: The folder's owner. }]
                    metadata:
                      type: object
                      additionalProperties:
                        allOf: [{}, { description: A value. }, { example: 7 }]
                User:
                  type: object
                  properties:
                    id: { type: string }
            """);

        object folder = generated.Read("Folder", """{"sequence_id":"3","owner":{"id":"u1"},"metadata":{"a":7,"b":[true]}}""");

        Assert.Equal("3", GeneratedAssembly.Get(folder, "SequenceId"));
        Assert.Equal(generated.Type("User"), GeneratedAssembly.Get(folder, "Owner")!.GetType());
        Assert.Null(generated.Assembly.GetType("Test.Api.FolderSequenceId"));
        Assert.Null(generated.Assembly.GetType("Test.Api.FolderOwner"));
        Assert.Equal("""{"sequence_id":"3","owner":{"id":"u1"},"metadata":{"a":7,"b":[true]}}""", generated.Write(folder));
    }

    [Fact]
    public void An_implied_discriminator_is_a_member_whose_value_differs_in_every_variant()
    {
        // Box's SkillCard: every card says `type: skill_card`; `skill_card_type` tells them apart.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.0.0
            info: { title: Cards, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                SkillCard:
                  oneOf:
                    - $ref: '#/components/schemas/KeywordCard'
                    - $ref: '#/components/schemas/StatusCard'
                KeywordCard:
                  type: object
                  required: [type, skill_card_type, entries]
                  properties:
                    type: { type: string, enum: [skill_card] }
                    skill_card_type: { type: string, enum: [keyword] }
                    entries: { type: array, items: { type: string } }
                StatusCard:
                  type: object
                  required: [type, skill_card_type, status]
                  properties:
                    type: { type: string, enum: [skill_card] }
                    skill_card_type: { type: string, enum: [status] }
                    status: { type: string }
            """);

        object status = generated.Read("SkillCard", """{"type":"skill_card","skill_card_type":"status","status":"done"}""");
        object keyword = generated.Read("SkillCard", """{"type":"skill_card","skill_card_type":"keyword","entries":["a"]}""");

        Assert.Equal("done", GeneratedAssembly.Get(GeneratedAssembly.Get(status, "AsStatus")!, "Status"));
        Assert.True((bool)GeneratedAssembly.Get(keyword, "IsKeyword")!);
    }

    [Fact]
    public void Nullable_true_in_an_OpenAPI_3_1_document_is_honoured()
    {
        // OpenAI's 3.1 document marks RunObject's timestamps the 3.0 way, and its API sends null.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.1.0
            info: { title: Runs, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Run:
                  type: object
                  required: [id, cancelled_at, max_prompt_tokens]
                  properties:
                    id: { type: string }
                    cancelled_at: { type: integer, format: unixtime, nullable: true }
                    max_prompt_tokens: { type: integer, nullable: true, minimum: 256 }
            """);

        object run = generated.Read("Run", """{"id":"run_1","cancelled_at":null,"max_prompt_tokens":null}""");

        Assert.Null(GeneratedAssembly.Get(run, "CancelledAt"));
        Assert.Null(GeneratedAssembly.Get(run, "MaxPromptTokens"));
        Assert.Equal("""{"id":"run_1","cancelled_at":null,"max_prompt_tokens":null}""", generated.Write(run));
    }

    [Fact]
    public async Task Swagger_2_form_parameters_are_sent_as_a_form_when_consumes_also_lists_json()
    {
        // Slack lists JSON beside the form; formData parameters travel only as a form.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            swagger: '2.0'
            info: { title: Chat, version: 1.0.0 }
            host: slack.example
            consumes: [application/x-www-form-urlencoded, application/json]
            paths:
              /chat.postMessage:
                post:
                  operationId: chatPostMessage
                  parameters:
                    - { name: channel, in: formData, required: true, type: string }
                    - { name: text, in: formData, required: false, type: string }
                  responses:
                    '200': { description: Sent., schema: { type: object, properties: { ok: { type: boolean } } } }
            """);
        var handler = RecordingHandler.Answering(body: """{"ok":true}""");
        object client = generated.Client(handler);
        object body = generated.Read("ChatPostMessageRequest", """{"channel":"C1","text":"hi there"}""");

        await GeneratedAssembly.CallAsync(client, "ChatPostMessageAsync", body, null, CancellationToken.None);

        Assert.Equal("application/x-www-form-urlencoded", handler.Last.Header("Content-Type"));
        Assert.Equal("channel=C1&text=hi+there", handler.Last.BodyText);
    }

    [Fact]
    public async Task A_Swagger_2_body_parameter_declared_on_the_path_item_is_the_body_of_each_operation()
    {
        // Netlify's /builds/{build_id}/log declares its body beside the path parameter.
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            swagger: '2.0'
            info: { title: Builds, version: 1.0.0 }
            host: builds.example
            consumes: [application/json]
            paths:
              /builds/{build_id}/log:
                parameters:
                  - { name: build_id, in: path, required: true, type: string }
                  - { name: msg, in: body, required: true, schema: { $ref: '#/definitions/LogMessage' } }
                post:
                  operationId: updateBuildLog
                  responses:
                    '204': { description: Logged. }
            definitions:
              LogMessage:
                type: object
                properties:
                  message: { type: string }
            """);
        var handler = RecordingHandler.Answering(System.Net.HttpStatusCode.NoContent);
        object client = generated.Client(handler);
        object message = generated.Read("LogMessage", """{"message":"built"}""");

        await GeneratedAssembly.CallAsync(client, "UpdateBuildLogAsync", "b1", message, null, CancellationToken.None);

        Assert.Equal("/builds/b1/log", handler.Last.PathAndQuery);
        Assert.Equal("""{"message":"built"}""", handler.Last.BodyText);
    }
}
