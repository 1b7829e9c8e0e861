using System;
using System.IO;
using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>
/// Golden-file tests: each scenario spec under <c>Scenarios/</c> generates exactly the files under
/// <c>Baselines/&lt;Scenario&gt;/</c>, line for line, with no generator diagnostic, and the output
/// compiles with nullable enabled and warnings as errors. Run with <c>UPDATE_BASELINES=1</c> to
/// rewrite them after an intended change (the run then fails on purpose; review the diff).
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void The_threads_fragment_generates_its_baseline()
    {
        VerifyScenario("ThreadsFragment", File.ReadAllText(RepoPaths.ThreadsFragment), "OpenAI.Threads", "ThreadsClient");
    }

    [Fact]
    public void Every_kind_of_security_scheme_their_combinations_and_servers_of_their_own_generate_their_baseline()
    {
        VerifyScenario("Security");
    }

    [Fact]
    public void Every_common_paging_shape_and_a_declared_one_generate_their_baseline()
    {
        VerifyScenario("Paging");
    }

    [Fact]
    public void Reserved_constant_defaulted_and_content_header_parameters_and_declared_media_types_generate_their_baseline()
    {
        VerifyScenario("Headers", diagnostics: new[] { "SPEC003", "SPEC009" });
    }

    [Fact]
    public void Every_format_and_read_only_and_write_only_members_generate_their_baseline()
    {
        VerifyScenario("Formats");
    }

    [Fact]
    public void Error_bodies_by_status_range_and_default_a_lone_default_response_and_successes_that_differ_generate_their_baseline()
    {
        VerifyScenario("Errors");
    }

    [Fact]
    public void An_object_with_every_kind_of_member_generates_its_baseline()
    {
        VerifyScenario("Object");
    }

    [Fact]
    public void String_enums_with_odd_values_and_a_single_valued_constant_generate_their_baseline()
    {
        VerifyScenario("Enum");
    }

    [Fact]
    public void Unions_with_and_without_a_discriminator_generate_their_baseline()
    {
        VerifyScenario("Union");
    }

    [Fact]
    public void Nullable_members_written_the_OpenAPI_3_1_ways_generate_their_baseline()
    {
        VerifyScenario("Nullable");
    }

    [Fact]
    public void Nullable_members_written_the_OpenAPI_3_0_way_generate_their_baseline()
    {
        VerifyScenario("NullableOpenApi30");
    }

    [Fact]
    public void Lists_maps_and_a_cursor_paged_operation_generate_their_baseline()
    {
        VerifyScenario("List");
    }

    [Fact]
    public void Event_streams_and_a_polled_resource_generate_their_baseline()
    {
        VerifyScenario("Streaming");
    }

    [Fact]
    public void Path_query_and_header_parameters_with_constraints_generate_their_baseline()
    {
        VerifyScenario("Parameters");
    }

    [Fact]
    public void Form_bodies_with_arrays_nested_objects_and_encodings_generate_their_baseline()
    {
        VerifyScenario("FormBody");
    }

    [Fact]
    public void Multipart_uploads_file_bodies_file_downloads_and_text_generate_their_baseline()
    {
        VerifyScenario("Files");
    }

    [Fact]
    public void Parameters_in_every_place_and_style_generate_their_baseline()
    {
        VerifyScenario("ParameterStyles");
    }

    [Fact]
    public void References_into_schemas_reuse_the_type_of_the_place_they_point_to()
    {
        VerifyScenario("SubschemaRefs");
    }

    [Fact]
    public void Deprecated_operations_parameters_types_and_members_generate_their_baseline()
    {
        VerifyScenario("Deprecated");
    }

    [Fact]
    public void Default_values_generate_their_baseline()
    {
        VerifyScenario("Defaults");
    }

    [Fact]
    public void Operations_grouped_by_tag_generate_their_baseline()
    {
        VerifyScenario("Grouping", GeneratorHarness.Scenario("Grouping"), "Test.Api", "TestClient", ("SpecgenClientGrouping", "tags"));
    }

    private static void VerifyScenario(string scenario) =>
        VerifyScenario(scenario, GeneratorHarness.Scenario(scenario), "Test.Api", "TestClient");

    /// <param name="diagnostics">The ids of the diagnostics the scenario exists to show, each reported once.</param>
    private static void VerifyScenario(string scenario, string[] diagnostics) =>
        VerifyScenario(scenario, GeneratorHarness.Scenario(scenario), "Test.Api", "TestClient", diagnostics, Array.Empty<(string, string)>());

    private static void VerifyScenario(string scenario, string spec, string ns, string client, params (string Name, string Value)[] settings) =>
        VerifyScenario(scenario, spec, ns, client, Array.Empty<string>(), settings);

    private static void VerifyScenario(string scenario, string spec, string ns, string client, string[] diagnostics, (string Name, string Value)[] settings)
    {
        var metadata = new System.Collections.Generic.Dictionary<string, string> { ["SpecgenNamespace"] = ns, ["SpecgenClientName"] = client };
        foreach ((string name, string value) in settings)
        {
            metadata[name] = value;
        }

        GenerationResult result = GeneratorHarness.Run(spec, options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, metadata));

        // Checked (and, when asked, rewritten) first, so that a rewrite also happens for output
        // that does not compile: the diff is then the quickest way to see why.
        string? baselineFailure = Baselines.Check(scenario, result.Files);

        result.AssertNoCrash();
        Assert.Equal(diagnostics, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        result.AssertCompiles();
        Assert.True(baselineFailure is null, baselineFailure);
    }
}
