using System.Linq;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Tests;

/// <summary>
/// <c>$ref</c>s into schemas, which Microsoft.OpenApi cuts down to their last segment; Specgen
/// reads what was written and follows it itself.
/// </summary>
public sealed class ReferenceTests
{
    [Fact]
    public void An_OpenAPI_3_0_document_resolves_references_into_schemas_like_a_3_1_one()
    {
        // The 3.0 reader leaves them unresolved; the 3.1 reader resolves some of them. The output is the same.
        string spec31 = GeneratorHarness.Scenario("SubschemaRefs");
        string spec30 = spec31.Replace("openapi: 3.1.0", "openapi: 3.0.3");

        GenerationResult result30 = GeneratorHarness.Run(spec30);
        GenerationResult result31 = GeneratorHarness.Run(spec31);

        result30.AssertCleanAndCompiles();
        Assert.Equal(result31.Files.Keys.OrderBy(k => k), result30.Files.Keys.OrderBy(k => k));
        Assert.Equal(result31.Files["Test.Api.Invoice.g.cs"], result30.Files["Test.Api.Invoice.g.cs"]);
        Assert.Equal(result31.Files["Test.Api.TestClient.g.cs"], result30.Files["Test.Api.TestClient.g.cs"]);
    }

    [Fact]
    public void A_member_inherited_from_another_schema_has_the_type_that_schema_gave_it()
    {
        // Asana's and Box's models inherit inline enums and objects from their bases; each derived
        // model used to get its own copy (CatStatus, CatOwner); now it has the base's.
        string spec = """
            openapi: 3.0.3
            info: { title: Pets, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Cat:
                  allOf:
                    - $ref: '#/components/schemas/Pet'
                    - type: object
                      properties:
                        purrs: { type: boolean }
                Pet:
                  type: object
                  properties:
                    status:
                      type: string
                      nullable: true
                      enum: [available, sold]
                    owner:
                      type: object
                      properties:
                        name: { type: string }
            """;

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertCleanAndCompiles();
        Assert.Contains("public global::Test.Api.PetStatus? Status", result.Files["Test.Api.Cat.g.cs"]);
        Assert.Contains("global::Test.Api.PetOwner? Owner { get; set; }", result.Files["Test.Api.Cat.g.cs"]);
        Assert.Equal(
            new[] { "Test.Api.Cat.g.cs", "Test.Api.Pet.g.cs", "Test.Api.PetOwner.g.cs", "Test.Api.PetStatus.g.cs" },
            result.Files.Keys.Where(k => !k.Contains("Client")).OrderBy(k => k, System.StringComparer.Ordinal));
    }

    [Fact]
    public void A_reference_into_a_schema_inside_an_inherited_base_resolves()
    {
        // PagerDuty's actions inherit `last_run_by` from a base, whose third variant refers to a
        // place inside another schema: found where the base writes it, not under the $ref.
        string spec = """
            openapi: 3.0.3
            info: { title: Refs, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                ScriptAction:
                  allOf:
                    - $ref: '#/components/schemas/AbstractAction'
                    - type: object
                      properties:
                        script: { type: string }
                AbstractAction:
                  allOf:
                    - $ref: '#/components/schemas/Named/allOf/0'
                    - type: object
                      properties:
                        last_run_by:
                          oneOf:
                            - $ref: '#/components/schemas/User'
                            - $ref: '#/components/schemas/Template/properties/created_by'
                Named:
                  allOf:
                    - type: object
                      properties:
                        name: { type: string }
                User:
                  type: object
                  properties:
                    email: { type: string }
                Template:
                  type: object
                  properties:
                    created_by:
                      type: object
                      properties:
                        team: { type: string }
            """;

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertCleanAndCompiles();
        string action = result.Files["Test.Api.ScriptAction.g.cs"];
        Assert.Contains("string? Name { get; set; }", action);
        Assert.Contains("global::Test.Api.AbstractActionLastRunBy? LastRunBy { get; set; }", action);
        Assert.Contains("(global::Test.Api.TemplateCreatedBy value)", result.Files["Test.Api.AbstractActionLastRunBy.g.cs"]);
        Assert.DoesNotContain("Test.Api.ScriptActionLastRunBy.g.cs", result.Files.Keys);
    }

    [Fact]
    public void A_reference_to_a_place_a_schema_does_not_have_is_SPEC002_at_the_reference()
    {
        string spec = """
            openapi: 3.1.0
            info: { title: Refs, version: 1.0.0 }
            paths: {}
            components:
              schemas:
                Order:
                  type: object
                  properties:
                    id: { type: string }
                Invoice:
                  type: object
                  properties:
                    order_ref:
                      $ref: '#/components/schemas/Order/properties/missing'
                    elsewhere:
                      $ref: '#/paths/~1orders/get/responses/200/content/application~1json/schema'
            """;

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        result.AssertCompiles();
        Diagnostic[] unresolved = result.WithId("SPEC002").OrderBy(d => d.Location.GetLineSpan().StartLinePosition.Line).ToArray();
        Assert.Equal(2, unresolved.Length);
        Assert.Contains("no such place inside the schema 'Order'", unresolved[0].GetMessage());
        Assert.EndsWith("(at #/components/schemas/Invoice/properties/order_ref)", unresolved[0].GetMessage());
        Assert.Equal(13, unresolved[0].Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("'#/paths/~1orders/get/responses/200/content/application~1json/schema'", unresolved[1].GetMessage());
        Assert.Contains("points to nothing", unresolved[1].GetMessage());
        Assert.Contains("public global::System.Text.Json.JsonElement? OrderRef { get; set; }", result.Files["Test.Api.Invoice.g.cs"]);
    }
}
