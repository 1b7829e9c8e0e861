using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Tests;

/// <summary>
/// A spec split over several files, each of them an AdditionalFiles item: the generator hands the
/// spec the files its <c>$ref</c>s name (and the files those name), and only those.
/// </summary>
public sealed class MultiFileTests
{
    private const string Entry = "/project/specs/openapi.yaml";

    private static readonly Dictionary<string, string> Files = new()
    {
        [Entry] = """
            openapi: 3.0.3
            info: { title: Pets, version: 1.0.0 }
            paths:
              /pets:
                get:
                  operationId: listPets
                  parameters:
                    - $ref: 'common/parameters.yaml#/limit'
                  responses:
                    '200':
                      description: The pets.
                      content:
                        application/json:
                          schema:
                            type: array
                            items:
                              $ref: 'schemas/Pet.yaml'
            """,
        ["/project/specs/schemas/Pet.yaml"] = """
            type: object
            required: [name]
            properties:
              name: { type: string }
              tag:
                $ref: 'Tag.yaml'
            """,
        ["/project/specs/schemas/Tag.yaml"] = """
            type: object
            properties:
              label: { type: string }
            """,
        ["/project/specs/common/parameters.yaml"] = """
            limit:
              name: limit
              in: query
              schema: { type: integer, maximum: 100 }
            """,
        ["/project/appsettings.json"] = """{ "Logging": {} }""",
    };

    [Fact]
    public void A_spec_whose_refs_name_other_AdditionalFiles_generates_from_all_of_them()
    {
        GenerationResult result = Run(Files);

        result.AssertCleanAndCompiles();
        Assert.Contains("Test.Api.Pet.g.cs", result.Files.Keys);
        Assert.Contains("Test.Api.Tag.g.cs", result.Files.Keys);
        Assert.Contains("ListPetsAsync(long? limit = null,", result.Unwrapped("Test.Api.TestClient.g.cs"));
        Assert.Contains("global::Test.Api.Tag? Tag { get; set; }", result.Files["Test.Api.Pet.g.cs"]);
    }

    [Fact]
    public void A_referenced_file_that_is_not_an_AdditionalFiles_item_is_SPEC002_at_the_reference()
    {
        GenerationResult result = Run(Files.Where(f => !f.Key.EndsWith("Tag.yaml")).ToDictionary(f => f.Key, f => f.Value));

        result.AssertNoCrash();
        result.AssertCompiles();
        Diagnostic missing = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC002", missing.Id);
        Assert.Contains("Tag.yaml", missing.GetMessage());
        Assert.Contains("not an AdditionalFiles item", missing.GetMessage());
        Assert.Equal("/project/specs/schemas/Pet.yaml", missing.Location.GetLineSpan().Path);
    }

    [Fact]
    public void Editing_a_file_the_spec_refers_to_re_runs_its_parse_and_editing_another_does_not()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var texts = Files.ToDictionary(f => f.Key, f => (AdditionalText)new InMemoryAdditionalText(f.Key, f.Value));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(texts.Values, Options()).RunGenerators(compilation);

        GeneratorDriver unrelated = driver.ReplaceAdditionalText(texts["/project/appsettings.json"], new InMemoryAdditionalText("/project/appsettings.json", """{ "Logging": { "A": 1 } }""")).RunGenerators(compilation);
        IncrementalStepRunReason afterUnrelated = ParseReason(unrelated);
        IncrementalStepRunReason afterTag = ParseReason(unrelated.ReplaceAdditionalText(texts["/project/specs/schemas/Tag.yaml"], new InMemoryAdditionalText("/project/specs/schemas/Tag.yaml", Files["/project/specs/schemas/Tag.yaml"] + "    color: { type: string }\n")).RunGenerators(compilation));

        Assert.Equal(IncrementalStepRunReason.Cached, afterUnrelated);
        Assert.Equal(IncrementalStepRunReason.Modified, afterTag);
    }

    private static IncrementalStepRunReason ParseReason(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Parse].Single().Outputs.Single().Reason;

    [Fact]
    public void A_property_or_header_whose_name_starts_with_x_dash_is_a_member_not_an_extension()
    {
        // Only the fixed fields of an object are extensions when they start with "x-"; under
        // properties or headers such a name is the API's own, and its $ref is still a reference.
        var files = new Dictionary<string, string>
        {
            [Entry] = """
                openapi: 3.0.3
                info: { title: Pets, version: 1.0.0 }
                paths:
                  /pets:
                    get:
                      operationId: listPets
                      responses:
                        '200':
                          description: The pets.
                          headers:
                            x-next-page:
                              $ref: 'common/headers.yaml#/NextPage'
                          content:
                            application/json:
                              schema:
                                $ref: '#/components/schemas/Pet'
                components:
                  schemas:
                    Pet:
                      type: object
                      properties:
                        x-owner:
                          $ref: 'schemas/Owner.yaml'
                """,
            ["/project/specs/schemas/Owner.yaml"] = """
                type: object
                properties:
                  name: { type: string }
                """,
            ["/project/specs/common/headers.yaml"] = """
                NextPage:
                  schema: { type: string }
                """,
        };

        GenerationResult result = Run(files);

        result.AssertCleanAndCompiles();
        Assert.Contains("global::Test.Api.Owner? XOwner { get; set; }", result.Files["Test.Api.Pet.g.cs"]);
    }

    [Fact]
    public void A_map_of_properties_written_as_one_ref_is_the_map_it_points_to()
    {
        // DigitalOcean's documents write `properties: {$ref: 'attributes.yml#/droplet_ids'}`;
        // bundlers put the map there, so the properties are the model's, from a file or the entry.
        var files = new Dictionary<string, string>
        {
            [Entry] = """
                openapi: 3.0.3
                info: { title: Balancers, version: 1.0.0 }
                paths:
                  /balancers:
                    get:
                      operationId: listBalancers
                      responses:
                        '200':
                          description: The balancers.
                          content:
                            application/json:
                              schema:
                                $ref: '#/components/schemas/Balancer'
                components:
                  schemas:
                    Balancer:
                      allOf:
                        - type: object
                          properties:
                            $ref: 'attributes.yml#/droplet_ids'
                        - type: object
                          properties:
                            $ref: '#/components/schemas/Stamps/properties'
                    Stamps:
                      type: object
                      properties:
                        created_at: { type: string, format: date-time }
                """,
            ["/project/specs/attributes.yml"] = """
                droplet_ids:
                  droplet_ids:
                    type: array
                    items: { type: integer }
                """,
        };

        GenerationResult result = Run(files);

        result.AssertCleanAndCompiles();
        string balancer = result.Files["Test.Api.Balancer.g.cs"];
        Assert.Contains("global::System.Collections.Generic.IList<long>? DropletIds { get; set; }", balancer);
        Assert.Contains("global::System.DateTimeOffset? CreatedAt { get; set; }", balancer);
    }

    [Fact]
    public void A_description_written_as_a_ref_is_the_text_it_points_to()
    {
        // DigitalOcean keeps its long texts in description.yml; bundlers put them in place. A
        // property that happens to be named description is still a property, $ref and all.
        var files = new Dictionary<string, string>
        {
            [Entry] = """
                openapi: 3.0.3
                info:
                  title: Texts
                  version: 1.0.0
                  description:
                    $ref: 'texts.yml#/introduction'
                tags:
                  - name: notes
                    description:
                      $ref: 'texts.yml#/notes'
                paths:
                  /notes:
                    get:
                      operationId: listNotes
                      tags: [notes]
                      description:
                        $ref: '#/components/schemas/Note/x-texts/list'
                      responses:
                        '200':
                          description: The notes.
                          content:
                            application/json:
                              schema:
                                $ref: '#/components/schemas/Note'
                components:
                  schemas:
                    Note:
                      type: object
                      x-texts:
                        list: Lists every note, newest first.
                      properties:
                        description:
                          $ref: '#/components/schemas/Text'
                    Text:
                      type: string
                """,
            ["/project/specs/texts.yml"] = """
                introduction: Notes, kept for you.
                notes: Everything about notes.
                """,
        };

        GenerationResult result = Run(files);

        result.AssertCleanAndCompiles();
        string client = result.Files["Test.Api.TestClient.g.cs"];
        Assert.Contains("/// Notes, kept for you.", client);
        Assert.Contains("/// Lists every note, newest first.", client);
        Assert.Contains("string? Description { get; set; }", result.Files["Test.Api.Note.g.cs"]);
    }

    /// <summary>Runs the generator on <paramref name="files"/>, each an AdditionalFiles item, with the entry's settings.</summary>
    private static GenerationResult Run(Dictionary<string, string> files) =>
        GeneratorHarness.Run(files.Select(f => new InMemoryAdditionalText(f.Key, f.Value)), Options());

    private static TestOptionsProvider Options() => GeneratorHarness.OptionsFor((Entry, "Test.Api", "TestClient"));
}
