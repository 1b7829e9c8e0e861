using System;
using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>
/// Names a document chooses for itself: enum members from <c>x-enum-varnames</c>, NSwag's
/// <c>x-enumNames</c> and AutoRest's <c>x-ms-enum</c>, their docs from <c>x-enum-descriptions</c>, and
/// any type, member, parameter or operation renamed with our <c>x-specgen-name</c>.
/// </summary>
public sealed class NamesUsersControlTests
{
    private const string Header = "openapi: 3.1.0\ninfo: { title: Names, version: 1.0.0 }\n";

    [Fact]
    public void Enum_members_take_the_names_and_docs_x_enum_varnames_and_x_enum_descriptions_give()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Level:
                  type: string
                  enum: ['1', '2', '>9000']
                  x-enum-varnames: [Low, medium_level, OverNineThousand]
                  x-enum-descriptions: [Barely any., Some., Far too much.]
            """);

        result.AssertCleanAndCompiles();
        string level = result.Files["Test.Api.Level.g.cs"];
        Assert.Contains("public static Level Low { get; } = new Level(\"1\");", level);
        Assert.Contains("public static Level MediumLevel { get; } = new Level(\"2\");", level);
        Assert.Contains("public static Level OverNineThousand { get; } = new Level(\">9000\");", level);
        Assert.Contains("/// Far too much.", level);
        Assert.Contains("/// <remarks>In JSON: <c>&gt;9000</c>.</remarks>", level);
    }

    [Fact]
    public void NSwag_x_enumNames_and_AutoRest_x_ms_enum_name_members_too()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Speed:
                  type: string
                  enum: [s, f]
                  x-enumNames: [Slow, Fast]
                Colour:
                  type: string
                  enum: [r, g]
                  x-ms-enum:
                    name: Colour
                    values:
                      - { value: r, name: Red, description: The colour of blood. }
                      - { value: g, name: Green }
            """);

        result.AssertCleanAndCompiles();
        Assert.Contains("public static Speed Fast { get; } = new Speed(\"f\");", result.Files["Test.Api.Speed.g.cs"]);
        string colour = result.Files["Test.Api.Colour.g.cs"];
        Assert.Contains("public static Colour Red { get; } = new Colour(\"r\");", colour);
        Assert.Contains("public static Colour Green { get; } = new Colour(\"g\");", colour);
        Assert.Contains("/// The colour of blood.", colour);
    }

    [Fact]
    public void Given_names_that_collide_are_numbered_and_a_list_of_the_wrong_length_is_SPEC007_and_ignored()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Twice:
                  type: string
                  enum: [a, b]
                  x-enum-varnames: [Same, Same]
                Short:
                  type: string
                  enum: [up, down]
                  x-enum-varnames: [Up]
            """);

        result.AssertCompiles();
        Assert.Contains("public static Twice Same2 { get; } = new Twice(\"b\");", result.Files["Test.Api.Twice.g.cs"]);
        Assert.Contains("public static Short Down { get; } = new Short(\"down\");", result.Files["Test.Api.Short.g.cs"]);
        Assert.Contains("x-enum-varnames is ignored: it has 1 entries for the 2 values of `enum`", Assert.Single(result.WithId("SPEC007")).GetMessage());
    }

    [Fact]
    public void X_specgen_name_renames_a_type_a_member_a_parameter_and_an_operation()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /v1/things/{thing_id}:
                get:
                  operationId: things_get_v1
                  x-specgen-name: GetThing
                  parameters:
                    - { name: thing_id, in: path, required: true, schema: { type: string }, x-specgen-name: id }
                  responses:
                    '200':
                      description: The thing.
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/thing_v1_dto' }
            components:
              schemas:
                thing_v1_dto:
                  type: object
                  x-specgen-name: Thing
                  properties:
                    display_name_v1: { type: string, x-specgen-name: DisplayName }
            """);

        result.AssertCleanAndCompiles();
        string client = result.Unwrapped("Test.Api.TestClient.g.cs");
        Assert.Contains("GetThingAsync(string id, ", client);
        Assert.DoesNotContain("ThingsGetV1", client);
        string thing = result.Files["Test.Api.Thing.g.cs"];
        Assert.Contains("public string? DisplayName { get; set; }", thing);
        Assert.Contains("\"display_name_v1\"", thing);
    }

    [Fact]
    public void A_malformed_x_specgen_name_is_SPEC007_and_the_usual_name_stays()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Widget:
                  type: object
                  x-specgen-name: 42
                  properties:
                    id: { type: string }
            """);

        result.AssertCompiles();
        Assert.Contains("Test.Api.Widget.g.cs", result.Files.Keys);
        Assert.Contains("x-specgen-name is ignored", Assert.Single(result.WithId("SPEC007")).GetMessage());
    }

    [Fact]
    public void Integer_enum_values_the_document_names_become_constants_and_members_stay_integers_that_take_any_value()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Enum");
        Type severity = generated.Type("Severity");

        Assert.True(severity.IsAbstract && severity.IsSealed, "the named values are a static class");
        Assert.Equal(3L, severity.GetField("High")!.GetRawConstantValue());
        Assert.Equal(-1L, severity.GetField("Unknown")!.GetRawConstantValue());
        Assert.Equal(2, generated.Type("JobRetryPolicy").GetField("Backoff")!.GetRawConstantValue());
        Assert.Null(generated.Assembly.GetType("Test.Api.JobShard"));

        object job = generated.Read("Job", """{"object":"job","status":"queued","severity":3,"retry_policy":1,"shard":4}""");
        Assert.Equal(3L, GeneratedAssembly.Get(job, "Severity"));
        Assert.Equal(1, GeneratedAssembly.Get(job, "RetryPolicy"));
        object newer = generated.Read("Job", """{"object":"job","status":"queued","severity":7}""");
        Assert.Equal(7L, GeneratedAssembly.Get(newer, "Severity"));
        Assert.Contains("\"severity\":7", generated.Write(newer));
    }

    [Fact]
    public void An_integer_enum_whose_names_do_not_match_its_values_is_SPEC007_and_gets_no_constants_nor_does_one_whose_values_do_not_fit()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Level:
                  type: integer
                  enum: [1, 2, 3]
                  x-enum-varnames: [Low, High]
                Ratio:
                  type: number
                  enum: [0.5, 1.5]
                  x-enum-varnames: [Half, OneAndAHalf]
                Huge:
                  type: integer
                  format: int32
                  enum: [1, 3000000000]
                  x-enum-varnames: [One, TooBigForInt]
            """);

        result.AssertCompiles();
        Assert.Contains("x-enum-varnames is ignored: it has 2 entries for the 3 values of `enum`", Assert.Single(result.WithId("SPEC007")).GetMessage());
        Assert.DoesNotContain(result.Files.Keys, file => file.Contains("Level", StringComparison.Ordinal) || file.Contains("Ratio", StringComparison.Ordinal) || file.Contains("Huge", StringComparison.Ordinal));
    }
}
