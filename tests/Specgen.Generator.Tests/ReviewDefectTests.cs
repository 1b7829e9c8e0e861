using System;
using System.Globalization;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Emitting;
using Specgen.Generator.Mapping;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Tests;

/// <summary>Defects a review found, each pinned.</summary>
public sealed class ReviewDefectTests
{
    [Fact]
    public void A_failure_of_our_own_while_reading_is_SPEC005_and_only_a_problem_of_the_text_is_SPEC001()
    {
        Assert.Equal("SPEC005", SpecParser.ReadFailure("/s.yaml", new InvalidOperationException("a bug")).Id);
        Assert.Equal("SPEC005", SpecParser.ReadFailure("/s.yaml", new IndexOutOfRangeException()).Id);
        Assert.Equal("SPEC001", SpecParser.ReadFailure("/s.yaml", new SpecReadException("not YAML", 3, 4)).Id);
        Assert.Equal("SPEC008", SpecParser.ReadFailure("/s.yaml", new SpecLimitException("too deep", 1, 1)).Id);
        Assert.Equal(3, SpecParser.ReadFailure("/s.yaml", new SpecReadException("not YAML", 3, 4)).Location!.Line);
    }

    [Fact]
    public void SPEC007s_title_covers_the_settings_it_also_reports()
    {
        Assert.Equal("Invalid Specgen extension or setting", DiagnosticDescriptors.InvalidExtension.Title.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_source_writer_formats_interpolated_values_in_the_invariant_culture()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var w = new SourceWriter();
            double half = 1.5;
            int big = 1234567;
            w.Line($"var x = {half}; var y = {big:N0};");

            Assert.Equal("var x = 1.5; var y = 1,234,567;\n", w.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
