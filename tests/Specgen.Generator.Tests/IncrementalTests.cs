using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Specgen.Generator.Model;

namespace Specgen.Generator.Tests;

/// <summary>
/// The caching contract of the pipeline (see <see cref="TrackingNames"/>): the driver runs twice
/// and every tracked step must have done no more work than the edit between the runs requires.
/// </summary>
public sealed class IncrementalTests
{
    /// <summary>Every tracked step, read from <see cref="TrackingNames"/> itself, so that a new step is covered without a list to keep.</summary>
    private static readonly string[] AllSteps = typeof(TrackingNames)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Steps that have no value for a spec without grouping by tag (the Threads fragment's default).</summary>
    private static readonly string[] EmptyWithoutGrouping = { TrackingNames.Groups };

    private static readonly IncrementalStepRunReason[] NoWork = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    private static string Threads => File.ReadAllText(RepoPaths.ThreadsFragment);

    [Fact]
    public void The_first_run_computes_every_step()
    {
        (GeneratorDriver driver, _, _) = Start(Threads);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in AllSteps)
        {
            List<(object? Value, IncrementalStepRunReason Reason)> reasons = Reasons(result, step);
            Assert.True(reasons.Count > 0 || EmptyWithoutGrouping.Contains(step), $"{step} produced nothing");
            Assert.All(reasons, reason => Assert.Equal(IncrementalStepRunReason.New, reason.Reason));
        }
    }

    [Fact]
    public void Changing_only_a_setting_re_parses_nothing_and_re_applies_the_settings()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, Threads);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { spec }).RunGenerators(compilation);
        TestOptionsProvider grouped = GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new Dictionary<string, string>
        {
            ["SpecgenNamespace"] = "Test.Api",
            ["SpecgenClientName"] = "TestClient",
            ["SpecgenClientGrouping"] = "tags",
            ["SpecgenVisibility"] = "internal",
        });

        GeneratorRunResult result = driver.WithUpdatedAnalyzerConfigOptions(grouped).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(Reasons(result, TrackingNames.ParseInput), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Parse), r => Assert.Equal(IncrementalStepRunReason.Cached, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Settings), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        Assert.NotEmpty(Reasons(result, TrackingNames.Groups));
        Assert.Contains(result.GeneratedSources, s => s.HintName.EndsWith("Operations.g.cs", StringComparison.Ordinal) && s.SourceText.ToString().Contains("internal sealed partial class", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_schema_no_operation_uses_re_emits_its_type_and_the_resolver_but_not_the_client()
    {
        var first = Start(Threads);

        // Named to sort last, so that no other type's place among the values moves.
        GeneratorRunResult result = Rerun(first, Threads.Replace("\n  schemas:\n", "\n  schemas:\n    ZzUnused:\n      type: object\n      properties:\n        note: { type: string }\n"));

        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));
        Assert.Contains(Reasons(result, TrackingNames.Resolvers), r => r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(Reasons(result, TrackingNames.Types), r => r.Reason == IncrementalStepRunReason.New && OnlyType(r.Value) == "ZzUnused");
    }

    [Fact]
    public void Editing_an_operation_of_one_tag_re_emits_that_tags_class_alone()
    {
        string grouping = GeneratorHarness.Scenario("Grouping");
        TestOptionsProvider options = GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new Dictionary<string, string> { ["SpecgenClientGrouping"] = "tags" });
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, grouping);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { spec }, options).RunGenerators(compilation);
        string edited = grouping.Replace("operationId: createThread", "operationId: startThread");
        Assert.NotEqual(grouping, edited);

        GeneratorRunResult result = driver.ReplaceAdditionalText(spec, new InMemoryAdditionalText(GeneratorHarness.SpecPath, edited)).RunGenerators(compilation).GetRunResult().Results.Single();

        List<(object? Value, IncrementalStepRunReason Reason)> groups = Reasons(result, TrackingNames.Groups);
        Assert.Single(groups, g => g.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(groups, g => g.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));
    }

    [Fact]
    public void Running_again_with_the_same_input_caches_every_step()
    {
        (GeneratorDriver driver, Compilation compilation, _) = Start(Threads);

        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        AssertEveryStep(result, IncrementalStepRunReason.Cached);
        AssertNoFileReEmitted(result);
    }

    [Fact]
    public void An_unrelated_source_edit_caches_every_step()
    {
        (GeneratorDriver driver, Compilation compilation, _) = Start(Threads);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree edited = CSharpSyntaxTree.ParseText(
            "namespace Consumer { internal static class Placeholder { internal static int Answer => 42; } }",
            (CSharpParseOptions)old.Options);

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited)).GetRunResult().Results.Single();

        AssertEveryStep(result, IncrementalStepRunReason.Cached);
        AssertNoFileReEmitted(result);
    }

    [Fact]
    public void A_whitespace_only_spec_edit_re_emits_no_file()
    {
        string spec = Threads;
        var first = Start(spec);
        string spaced = "\n" + spec.Replace("\n  schemas:\n", "\n  schemas:   \n\n") + "\n\n";
        Assert.NotEqual(spec, spaced);

        GeneratorRunResult result = Rerun(first, spaced);

        Assert.All(Reasons(result, TrackingNames.SpecInput), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Parse), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r.Reason));
        foreach (string step in new[] { TrackingNames.Diagnostics, TrackingNames.Types, TrackingNames.Clients })
        {
            Assert.All(Reasons(result, step), r => Assert.Contains(r.Reason, NoWork));
        }

        AssertNoFileReEmitted(result);
    }

    [Fact]
    public void Editing_one_property_description_re_emits_only_the_type_that_declares_it()
    {
        string spec = Threads;
        var first = Start(spec);
        const string before = "description: The thread's ID, used in endpoint paths.";
        Assert.Single(spec.Split(before)[1..]);
        string edited = spec.Replace(before, "description: The ID of the thread, as used in endpoint paths.");

        GeneratorRunResult result = Rerun(first, edited);

        // Prose is put in after the Parse step, which stays cached: the document is not mapped again.
        Assert.All(Reasons(result, TrackingNames.Parse), r => Assert.Equal(IncrementalStepRunReason.Cached, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Documented), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        List<(object? Value, IncrementalStepRunReason Reason)> types = Reasons(result, TrackingNames.Types);
        var modified = types.Where(t => t.Reason == IncrementalStepRunReason.Modified).Select(t => OnlyType(t.Value)).ToList();
        Assert.Equal(new[] { "ThreadObject" }, modified);
        Assert.All(types.Where(t => t.Reason != IncrementalStepRunReason.Modified), t => Assert.Equal(IncrementalStepRunReason.Unchanged, t.Reason));
        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));

        var reEmitted = OutputReasons(result).Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).ToList();
        Assert.Single(reEmitted);
        Assert.Equal("ThreadObject", OnlyType(reEmitted[0].Value));
    }

    [Fact]
    public void A_description_that_takes_a_line_more_parses_again_so_that_diagnostics_below_it_move()
    {
        string spec = GeneratorHarness.Scenario("Object").Replace("        extra:\n", "        owner:\n          $ref: \"#/components/schemas/Missing\"\n        extra:\n");
        Assert.Contains("\n      description: ", spec, StringComparison.Ordinal);
        var first = Start(spec);
        int line = MissingReference(first.Driver.GetRunResult().Results.Single()).Line;
        int at = spec.IndexOf("\n      description: ", StringComparison.Ordinal);
        int end = spec.IndexOf('\n', at + 1);
        string longer = spec.Substring(0, end) + "\n        and a line more" + spec.Substring(end);

        GeneratorRunResult result = Rerun(first, longer);

        Assert.All(Reasons(result, TrackingNames.Parse), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        Assert.Equal(line + 1, MissingReference(result).Line);
    }

    private static LinePosition MissingReference(GeneratorRunResult result) =>
        result.Diagnostics.Single(d => d.GetMessage(CultureInfo.InvariantCulture).Contains("Missing", StringComparison.Ordinal)).Location.GetLineSpan().StartLinePosition;

    [Fact]
    public void Adding_a_schema_that_sorts_last_emits_only_its_file()
    {
        // Roslyn compares the outputs of a SelectMany by position, and types are emitted in name
        // order: a new type that sorts first shifts every other one and re-emits them all.
        string spec = GeneratorHarness.Scenario("Object");
        var first = Start(spec);
        string edited = spec + "    Zone:\n      type: object\n      properties:\n        id:\n          type: string\n";

        GeneratorRunResult result = Rerun(first, edited);

        List<(object? Value, IncrementalStepRunReason Reason)> types = Reasons(result, TrackingNames.Types);
        Assert.Equal(
            new[] { "Zone" },
            types.Where(t => t.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified).Select(t => OnlyType(t.Value)));
        Assert.Contains(types, t => OnlyType(t.Value) == "Widget" && t.Reason == IncrementalStepRunReason.Unchanged);

        // The JSON resolver lists every type, so it changes; the client does not.
        Assert.All(Reasons(result, TrackingNames.Resolvers), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));
    }

    [Fact]
    public void Moving_a_line_that_has_a_diagnostic_changes_only_the_diagnostics()
    {
        string spec = GeneratorHarness.Scenario("Object").Replace("        extra:\n", "        owner:\n          $ref: \"#/components/schemas/Missing\"\n        extra:\n");
        var first = Start(spec);
        string moved = spec.Replace("paths: {}\n", "paths: {}\n\n\n");

        GeneratorRunResult result = Rerun(first, moved);

        Assert.All(Reasons(result, TrackingNames.Diagnostics), r => Assert.Equal(IncrementalStepRunReason.Modified, r.Reason));
        Assert.All(Reasons(result, TrackingNames.Types), r => Assert.Contains(r.Reason, NoWork));
        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));
    }

    [Fact]
    public void Pipeline_values_hold_no_compiler_OpenAPI_or_YAML_object()
    {
        // The fragment covers every model kind; the second spec adds diagnostics (with locations).
        string broken = GeneratorHarness.Scenario("Object").Replace("        extra:\n", "        owner:\n          $ref: \"#/components/schemas/Missing\"\n        extra:\n");
        foreach (string spec in new[] { Threads, broken })
        {
            (GeneratorDriver driver, _, _) = Start(spec);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            int walked = 0;
            foreach (string step in AllSteps)
            {
                foreach ((object? value, _) in Reasons(result, step))
                {
                    walked += PipelineValueWalker.Walk(value, $"{step} output");
                }
            }

            Assert.True(walked > 100, $"Only {walked} objects were walked; the walker is not looking.");
        }
    }

    [Fact]
    public void The_walker_finds_a_forbidden_object_wherever_it_hides()
    {
        // Without this, a walker that looked at nothing would pass the test above.
        Location location = Location.Create("/spec.yaml", default, default);
        var hidden = Tuple.Create(1, (Name: "x", Inner: Tuple.Create((object)location)));

        var error = Assert.ThrowsAny<Exception>(() => PipelineValueWalker.Walk(hidden, "planted"));

        Assert.Contains("Location", error.Message);
    }

    [Fact]
    public void The_walker_rejects_a_collection_that_compares_by_reference()
    {
        var error = Assert.ThrowsAny<Exception>(() => PipelineValueWalker.Walk(Tuple.Create(new List<string> { "a" }), "planted"));

        Assert.Contains("compares by reference", error.Message);
    }

    [Fact]
    public void Adding_a_second_spec_to_the_project_leaves_the_first_one_cached()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var first = new InMemoryAdditionalText("/specs/first.yaml", GeneratorHarness.Scenario("Object"));
        var second = new InMemoryAdditionalText("/specs/second.yaml", GeneratorHarness.Scenario("Enum"));
        TestOptionsProvider options = GeneratorHarness.OptionsFor(("/specs/first.yaml", "First.Api", "FirstClient"), ("/specs/second.yaml", "Second.Api", "SecondClient"));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { first }, options).RunGenerators(compilation);

        GeneratorRunResult result = driver.AddAdditionalTexts(ImmutableArray.Create<AdditionalText>(second)).RunGenerators(compilation).GetRunResult().Results.Single();

        List<(object? Value, IncrementalStepRunReason Reason)> parsed = Reasons(result, TrackingNames.Parse);
        Assert.Contains(parsed, p => p.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged && ((ParseResult)p.Value!).Model!.Client.Name == "FirstClient");
        Assert.Contains(parsed, p => p.Reason == IncrementalStepRunReason.New && ((ParseResult)p.Value!).Model!.Client.Name == "SecondClient");
        var reEmitted = OutputReasons(result).Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).Select(o => o.Value).ToList();
        Assert.DoesNotContain(reEmitted, v => v is TypeFileModel { Namespace: "First.Api" } or ClientModel { Namespace: "First.Api" });
        Assert.Contains(reEmitted, v => v is TypeFileModel { Namespace: "Second.Api" });
    }

    [Fact]
    public void Editing_an_AdditionalFile_that_is_not_a_spec_re_runs_nothing()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, GeneratorHarness.Scenario("Object"));
        var settings = new InMemoryAdditionalText("/project/appsettings.json", """{ "Logging": {} }""");
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new AdditionalText[] { spec, settings }).RunGenerators(compilation);

        GeneratorRunResult result = driver.ReplaceAdditionalText(settings, new InMemoryAdditionalText("/project/appsettings.json", """{ "Logging": { "Level": 1 } }"""))
            .RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in AllSteps.Where(s => s != TrackingNames.SpecInput))
        {
            Assert.All(Reasons(result, step), r => Assert.Contains(r.Reason, NoWork));
        }

        AssertNoFileReEmitted(result);
    }

    /// <summary>The first run. <c>Spec</c> is the instance the driver holds, which <see cref="Rerun"/> must replace.</summary>
    private static (GeneratorDriver Driver, Compilation Compilation, AdditionalText Spec) Start(string spec)
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        var file = new InMemoryAdditionalText(GeneratorHarness.SpecPath, spec);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { file });
        return (driver.RunGenerators(compilation), compilation, file);
    }

    private static GeneratorRunResult Rerun((GeneratorDriver Driver, Compilation Compilation, AdditionalText Spec) first, string after) =>
        first.Driver.ReplaceAdditionalText(first.Spec, new InMemoryAdditionalText(GeneratorHarness.SpecPath, after))
            .RunGenerators(first.Compilation)
            .GetRunResult()
            .Results.Single();

    private static List<(object? Value, IncrementalStepRunReason Reason)> Reasons(GeneratorRunResult result, string step)
    {
        // A SelectMany that produced nothing is not tracked at all.
        if (EmptyWithoutGrouping.Contains(step) && !result.TrackedSteps.ContainsKey(step))
        {
            return new List<(object? Value, IncrementalStepRunReason Reason)>();
        }

        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"No tracked step '{step}'. Tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
        return runs.SelectMany(run => run.Outputs).Select(o => ((object?)o.Value, o.Reason)).ToList();
    }

    /// <summary>Each run of a source output: the pipeline value it emitted from, and why it ran.</summary>
    private static List<(object? Value, IncrementalStepRunReason Reason)> OutputReasons(GeneratorRunResult result) =>
        result.TrackedOutputSteps.Values
            .SelectMany(runs => runs)
            .SelectMany(run => run.Outputs.Select(output => ((object?)run.Inputs[0].Source.Outputs[run.Inputs[0].OutputIndex].Value, output.Reason)))
            .ToList();

    private static void AssertEveryStep(GeneratorRunResult result, IncrementalStepRunReason expected)
    {
        foreach (string step in AllSteps)
        {
            List<(object? Value, IncrementalStepRunReason Reason)> reasons = Reasons(result, step);
            Assert.True(reasons.Count > 0 || EmptyWithoutGrouping.Contains(step), $"{step} produced nothing");
            Assert.All(reasons, r => Assert.True(r.Reason == expected, $"{step}: {r.Reason}, expected {expected}"));
        }
    }

    private static void AssertNoFileReEmitted(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.Values.SelectMany(runs => runs).SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Contains(o.Reason, NoWork));
    }

    /// <summary>The name of the one type a file of types holds (small documents get a file per type).</summary>
    private static string OnlyType(object? value) => Assert.Single(((TypeFileModel)value!).Types).Name;

    [Fact]
    public void In_a_document_whose_types_share_files_editing_one_schema_re_emits_one_file()
    {
        string spec = FileLayoutTests.ManySchemas(Mapping.FileLayout.OneFilePerTypeUpTo + 100);
        var first = Start(spec);
        string edited = spec.Replace("The id of schema 42.", "The id of schema forty-two.");

        GeneratorRunResult result = Rerun(first, edited);

        List<(object? Value, IncrementalStepRunReason Reason)> files = Reasons(result, TrackingNames.Types);
        var modified = files.Where(f => f.Reason != IncrementalStepRunReason.Unchanged).Select(f => (TypeFileModel)f.Value!).ToList();
        Assert.Contains(Assert.Single(modified).Types, t => t.Name == "Schema42");
        Assert.True(files.Count <= Mapping.FileLayout.SharedFiles, $"{files.Count} files of types");
        Assert.All(Reasons(result, TrackingNames.Clients), r => Assert.Contains(r.Reason, NoWork));
    }
}
