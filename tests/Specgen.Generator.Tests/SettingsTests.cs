using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Specgen.IntegrationTests.Support;

namespace Specgen.Generator.Tests;

/// <summary>
/// The settings of a spec (AdditionalFiles metadata, with project-wide defaults from MSBuild
/// properties) as README.md's Settings table documents them: one test per behaviour.
/// </summary>
public sealed class SettingsTests
{
    private const string Path = GeneratorHarness.SpecPath;

    [Fact]
    public async Task Grouping_by_tag_puts_each_operation_on_the_class_of_its_first_tag_and_they_send_through_the_client()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenClientGrouping", "tags")));
        var handler = RecordingHandler.Answering(body: """{"id":"run_1","thread_id":"t 1","status":"completed"}""");
        object client = generated.Client(handler);

        object threads = GeneratedAssembly.Get(client, "Threads")!;
        object run = (await GeneratedAssembly.CallAsync(threads, "CreateRunAndPollAsync", "t 1", null, null, CancellationToken.None))!;
        await GeneratedAssembly.CallAsync(GeneratedAssembly.Get(client, "Messages")!, "ListMessagesAsync", "t 1", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "HealthAsync", null, CancellationToken.None);

        Assert.Equal("completed", GeneratedAssembly.Get(run, "Status"));
        Assert.Same(client, GeneratedAssembly.Get(threads, "Client"));
        Assert.Equal(new[] { "/threads/t%201/runs", "/threads/t%201/messages", "/health" }, handler.Requests.Select(c => c.PathAndQuery));
        Assert.Equal("RunsOperations2", GeneratedAssembly.Get(client, "Runs")!.GetType().Name);
    }

    [Fact]
    public void Without_grouping_every_operation_is_on_the_client()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenClientGrouping", "single")));

        result.AssertCleanAndCompiles();
        Assert.DoesNotContain(result.Files.Keys, k => k.EndsWith("Operations.g.cs", StringComparison.Ordinal) && !k.Contains("RunsOperations.g.cs"));
        Assert.Contains("CreateRunAndPollAsync(", result.Files["Test.Api.TestClient.g.cs"]);
    }

    [Theory]
    [InlineData("tag:Threads", new[] { "createThread", "createRun", "listMessages" })]
    [InlineData("tag:runs", new[] { "createRun", "getRun" })]
    [InlineData("op:createThread;op:health", new[] { "createThread", "health" })]
    [InlineData("op:create*", new[] { "createThread", "createRun" })]
    [InlineData("path:/threads/*", new[] { "createRun", "getRun", "listMessages" })]
    [InlineData("path:/threads/{thread_id}/runs*", new[] { "createRun", "getRun" })]
    public void Include_keeps_the_operations_a_tag_operationId_or_path_pattern_matches(string include, string[] expected)
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenInclude", include)));

        result.AssertCleanAndCompiles();
        Assert.Equal(expected.OrderBy(x => x), OperationIds(result).OrderBy(x => x));
    }

    [Fact]
    public void Exclude_removes_operations_after_include_and_a_poller_without_its_refresh_operation_goes_too()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenInclude", "tag:Threads;tag:Runs"), ("SpecgenExclude", "op:getRun")));

        result.AssertCleanAndCompiles();
        Assert.Equal(new[] { "createRun", "createThread", "listMessages" }, OperationIds(result).OrderBy(x => x));
        string client = result.Files["Test.Api.TestClient.g.cs"];
        Assert.DoesNotContain("PollRunAsync", client);
        Assert.DoesNotContain("AndPollAsync", client);
    }

    [Fact]
    public void Filtering_keeps_only_the_models_the_operations_reach_unless_all_are_asked_for()
    {
        GenerationResult used = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenInclude", "op:createThread")));
        GenerationResult all = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenInclude", "op:createThread"), ("SpecgenModels", "all")));
        GenerationResult usedWithoutFilter = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenModels", "used")));

        used.AssertCleanAndCompiles();
        all.AssertCleanAndCompiles();
        Assert.Equal(new[] { "Test.Api.TestClient.g.cs", "Test.Api.TestClientJsonTypeInfoResolver.g.cs", "Test.Api.Thread.g.cs" }, used.Files.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("Test.Api.RunsOperations.g.cs", all.Files.Keys);
        Assert.Contains("Test.Api.Run.g.cs", usedWithoutFilter.Files.Keys);
        Assert.DoesNotContain("Test.Api.RunsOperations.g.cs", usedWithoutFilter.Files.Keys);
        Assert.DoesNotContain("RunsOperations", used.Files["Test.Api.TestClientJsonTypeInfoResolver.g.cs"]);
    }

    [Fact]
    public void A_pattern_that_matches_nothing_and_a_setting_that_is_not_understood_are_SPEC007_on_the_spec_and_ignored()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(
            ("SpecgenInclude", "tag:Thread;op:createThread;createRun"),
            ("SpecgenClientGrouping", "byTag"),
            ("SpecgenVisibility", "private"),
            ("SpecgenModels", "some")));

        result.AssertNoCrash();
        result.AssertCompiles();
        string[] messages = result.GeneratorDiagnostics.Select(d => d.GetMessage()).OrderBy(m => m, StringComparer.Ordinal).ToArray();
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal("SPEC007", d.Id));
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal(Path, d.Location.GetLineSpan().Path));
        Assert.Equal(5, messages.Length);
        Assert.Contains(messages, m => m.StartsWith("SpecgenClientGrouping 'byTag' is not 'single' or 'tags'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("SpecgenInclude entry 'createRun' is not tag:<tag>, op:<operationId> or path:<path template>", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("SpecgenInclude entry 'tag:Thread' matches no operation", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("SpecgenModels 'some'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("SpecgenVisibility 'private'", StringComparison.Ordinal));
        Assert.Equal(new[] { "createThread" }, OperationIds(result));
    }

    [Fact]
    public void Internal_visibility_makes_every_generated_type_internal_and_the_project_can_still_use_them()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Grouping"), options: Options(("SpecgenVisibility", "internal"), ("SpecgenClientGrouping", "tags")));

        result.AssertCleanAndCompiles();
        Assert.All(result.Files.Values, text => Assert.DoesNotContain("public sealed", text));
        Assert.All(result.Files.Values, text => Assert.DoesNotContain("public readonly partial struct", text));
        Assert.Contains("internal sealed partial class TestClient", result.Files["Test.Api.TestClient.g.cs"]);
        Compilation withUse = result.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Consumer { internal static class Uses { internal static object Run(Test.Api.TestClient c) => c.Threads.CreateThreadAsync(); } }",
            new CSharpParseOptions(LanguageVersion.CSharp12)));
        Assert.Empty(withUse.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Project_properties_are_the_defaults_and_file_metadata_overrides_them()
    {
        var options = new TestOptionsProvider(
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["/specs/a.yaml"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.SpecgenVisibility"] = "public" },
                ["/specs/b.yaml"] = new Dictionary<string, string>(),
            },
            new Dictionary<string, string>
            {
                ["build_property.RootNamespace"] = "MyApp",
                ["build_property.SpecgenVisibility"] = "internal",
                ["build_property.SpecgenClientGrouping"] = "tags",
            });
        var files = new[] { new InMemoryAdditionalText("/specs/a.yaml", GeneratorHarness.Scenario("Grouping")), new InMemoryAdditionalText("/specs/b.yaml", GeneratorHarness.Scenario("Grouping")) };

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertCleanAndCompiles();
        Assert.Contains("public sealed partial class AClient", result.Files["MyApp.A.AClient.g.cs"]);
        Assert.Contains("internal sealed partial class BClient", result.Files["MyApp.B.BClient.g.cs"]);
        Assert.Contains("MyApp.A.ThreadsOperations.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.B.ThreadsOperations.g.cs", result.Files.Keys);
    }

    [Fact]
    public void Specs_with_the_same_file_name_in_different_folders_get_their_folder_in_the_default_namespace()
    {
        var files = new[]
        {
            new InMemoryAdditionalText("/specs/billing/openapi.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/shipping/openapi.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/museum.yaml", GeneratorHarness.Scenario("Enum")),
        };
        var options = new TestOptionsProvider(new Dictionary<string, IReadOnlyDictionary<string, string>>(), new Dictionary<string, string> { ["build_property.RootNamespace"] = "MyApp" });

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertCleanAndCompiles();
        Assert.Contains("MyApp.Billing.Openapi.Widget.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.Shipping.Openapi.OpenapiClient.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.Museum.MuseumClient.g.cs", result.Files.Keys);
    }

    [Fact]
    public void Specs_whose_folders_have_the_same_name_too_get_the_folders_above_until_they_differ()
    {
        // ReadMe's examples keep 3.0/yaml/petstore.yaml beside 3.1/yaml/petstore.yaml: one folder
        // up is still "yaml", and one namespace for both was CS0101 on every type.
        var files = new[]
        {
            new InMemoryAdditionalText("/specs/3.0/yaml/petstore.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/3.1/yaml/petstore.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/json/petstore.yaml", GeneratorHarness.Scenario("Object")),
        };
        var options = new TestOptionsProvider(new Dictionary<string, IReadOnlyDictionary<string, string>>(), new Dictionary<string, string> { ["build_property.RootNamespace"] = "MyApp" });

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertCleanAndCompiles();
        Assert.Contains("MyApp.Specs30.Yaml.Petstore.Widget.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.Specs31.Yaml.Petstore.Widget.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.Json.Petstore.Widget.g.cs", result.Files.Keys);
    }

    [Fact]
    public void Specs_given_one_namespace_get_distinct_hint_names_and_compile_when_their_types_differ()
    {
        var files = new[]
        {
            new InMemoryAdditionalText("/specs/widgets.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/jobs.yaml", GeneratorHarness.Scenario("Enum")),
        };
        TestOptionsProvider options = GeneratorHarness.OptionsFor(("/specs/widgets.yaml", "MyApp.Apis", "WidgetsClient"), ("/specs/jobs.yaml", "MyApp.Apis", "JobsClient"));

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertCleanAndCompiles();
        Assert.Contains("MyApp.Apis.Widgets.Widget.g.cs", result.Files.Keys);
        Assert.Contains("MyApp.Apis.Jobs.JobsClient.g.cs", result.Files.Keys);
        Assert.Contains("namespace MyApp.Apis;", result.Files["MyApp.Apis.Jobs.Job.g.cs"]);
    }

    [Fact]
    public void Specs_given_one_namespace_and_one_client_name_never_crash_the_generator()
    {
        // The same types twice in one namespace cannot compile (CS0101, the user's to fix), but
        // every hint name is still distinct, so the generator itself does not fail.
        var files = new[] { new InMemoryAdditionalText("/specs/a/api.yaml", GeneratorHarness.Scenario("Object")), new InMemoryAdditionalText("/specs/b/api.yaml", GeneratorHarness.Scenario("Object")) };
        TestOptionsProvider options = GeneratorHarness.OptionsFor(("/specs/a/api.yaml", "Same", "SameClient"), ("/specs/b/api.yaml", "Same", "SameClient"));

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertNoCrash();
        Assert.Contains("Same.Api.Widget.g.cs", result.Files.Keys);
        Assert.Contains("Same.Api2.Widget.g.cs", result.Files.Keys);
        Assert.Contains(result.CompileDiagnostics, d => d.Id == "CS0101");
    }

    private static IEnumerable<string> OperationIds(GenerationResult result) =>
        System.Text.RegularExpressions.Regex.Matches(result.Files["Test.Api.TestClient.g.cs"], @"new global::Specgen\.Runtime\.ApiRequest\([^,]+, ""([^""]+)""\)")
            .Select(m => m.Groups[1].Value);

    private static TestOptionsProvider Options(params (string Name, string Value)[] settings)
    {
        var metadata = new Dictionary<string, string> { ["SpecgenNamespace"] = "Test.Api", ["SpecgenClientName"] = "TestClient" };
        foreach ((string name, string value) in settings)
        {
            metadata[name] = value;
        }

        return GeneratorHarness.OptionsWithMetadata(Path, metadata);
    }
}
