using System.Collections.Generic;
using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>
/// <c>$ref</c>s the way bundlers resolve them: wherever a JSON value may stand (an operation, a
/// parameter or response in a list, a header, an example, a path item), to a pointer into any part
/// of the document, in this file or another AdditionalFiles item.
/// </summary>
public sealed class ReferencesAnywhereTests
{
    private const string Entry = "/project/api/openapi.yaml";

    private static readonly Dictionary<string, string> Files = new()
    {
        [Entry] = """
            openapi: 3.0.3
            info: { title: Pets, version: 1.0.0 }
            servers: [{ url: "https://pets.example.com" }]
            paths:
              /pets:
                get:
                  operationId: listPets
                  parameters:
                    - $ref: '#/components/parameters/limit'
                    - name: kind
                      in: query
                      schema:
                        $ref: '#/components/parameters/limit/schema'
                  responses:
                    '200':
                      description: The pets.
                      headers:
                        X-Total:
                          $ref: '#/components/headers/Total'
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              pets:
                                type: array
                                items: { $ref: '#/components/schemas/Pet' }
                          examples:
                            two:
                              $ref: '#/components/examples/TwoPets'
                            elsewhere:
                              $ref: '#/paths/~1pets/get/responses/200/content/application~1json/examples/two'
              /animals:
                get:
                  $ref: '#/paths/~1pets/get'
                post:
                  operationId: createAnimal
                  parameters:
                    - $ref: '#/paths/~1pets/get/parameters/0'
                  requestBody:
                    content:
                      application/json:
                        schema:
                          $ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema'
                  responses:
                    '201':
                      $ref: '#/paths/~1pets/get/responses/200'
              /zoo:
                $ref: 'paths.yaml#/zoo'
              /owners:
                get:
                  $ref: 'operations.yaml#/listOwners'
            components:
              parameters:
                limit:
                  name: limit
                  in: query
                  schema: { type: integer, format: int32, maximum: 100 }
              headers:
                Total:
                  schema: { type: integer }
              examples:
                TwoPets:
                  value: { pets: [{ name: a }, { name: b }] }
              schemas:
                Pet:
                  type: object
                  required: [name]
                  properties:
                    name: { type: string }
                    page:
                      $ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema'
            """,
        ["/project/api/paths.yaml"] = """
            zoo:
              get:
                operationId: getZoo
                parameters:
                  - $ref: 'openapi.yaml#/components/parameters/limit'
                responses:
                  '200':
                    description: The zoo.
                    content:
                      application/json:
                        schema:
                          $ref: 'openapi.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema'
            """,
        ["/project/api/operations.yaml"] = """
            listOwners:
              operationId: listOwners
              parameters:
                - $ref: '#/sharedParameters/owner'
              responses:
                '200':
                  description: The owners.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { type: string }
            sharedParameters:
              owner:
                name: owner
                in: query
                schema: { type: string }
            """,
    };

    [Fact]
    public void References_in_every_position_and_to_every_place_generate_without_a_diagnostic()
    {
        GenerationResult result = Run();

        result.AssertCleanAndCompiles();
        string client = result.Unwrapped("Test.Api.TestClient.g.cs");
        Assert.Contains("ListPetsAsync(int? limit = null, int? kind = null,", client);
        Assert.Contains("GetZooAsync(int? limit = null,", client);
        Assert.Contains("ListOwnersAsync(string? owner = null,", client);
        Assert.Contains("CreateAnimalAsync(global::Test.Api.ListPetsResponse? body = null, int? limit = null,", client);
    }

    [Fact]
    public void An_operation_referred_to_is_copied_and_gets_a_method_of_its_own_on_each_path()
    {
        string client = Run().Files["Test.Api.TestClient.g.cs"];

        Assert.Contains("\"/pets\"", client);
        Assert.Contains("\"/animals\"", client);
        Assert.Contains("ListPets2Async(", client);
    }

    [Fact]
    public void A_schema_referred_to_where_it_stands_becomes_one_type_shared_by_every_use()
    {
        GenerationResult result = Run();

        Assert.Contains("Test.Api.ListPetsResponse.g.cs", result.Files.Keys);
        Assert.Contains("global::Test.Api.ListPetsResponse? Page { get; set; }", result.Files["Test.Api.Pet.g.cs"]);
        Assert.Contains("Task<global::Test.Api.ListPetsResponse> GetZooAsync(", result.Files["Test.Api.TestClient.g.cs"]);
        Assert.Contains("Task<global::Test.Api.ListPetsResponse> CreateAnimalAsync(", result.Files["Test.Api.TestClient.g.cs"]);
        Assert.DoesNotContain(result.Files.Keys, k => k.Contains("CreateAnimalRequest") || k.Contains("GetZooResponse"));
    }

    [Fact]
    public void A_schema_reference_to_a_place_that_is_no_schema_is_SPEC002_at_the_reference()
    {
        GenerationResult result = GeneratorHarness.Run("""
            openapi: 3.0.3
            info: { title: Pets, version: 1.0.0 }
            paths: {}
            components:
              parameters:
                limit: { name: limit, in: query, schema: { type: integer } }
              schemas:
                Page:
                  type: object
                  properties:
                    size: { $ref: '#/components/parameters/limit' }
            """);

        result.AssertNoCrash();
        Assert.Contains("points to a parameter, not a schema", Assert.Single(result.WithId("SPEC002")).GetMessage());
    }

    private static GenerationResult Run() =>
        GeneratorHarness.Run(Files.Select(f => new InMemoryAdditionalText(f.Key, f.Value)), GeneratorHarness.OptionsFor((Entry, "Test.Api", "TestClient")));
}
