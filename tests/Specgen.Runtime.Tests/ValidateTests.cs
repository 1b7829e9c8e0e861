using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Specgen.Runtime.Tests;

/// <summary>The constraint checks generated code runs before a request leaves.</summary>
public sealed class ValidateTests
{
    [Fact]
    public void MaxLength_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.MaxLength("abcdef", 5, "name"), "name", "6 characters", "at most 5", "maxLength");
        Validate.MaxLength("abcde", 5, "name");
        Validate.MaxLength(null, 5, "name");
    }

    [Fact]
    public void MinLength_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.MinLength("ab", 3, "suffix"), "suffix", "2 characters", "at least 3", "minLength");
        Validate.MinLength("abc", 3, "suffix");
        Validate.MinLength(null, 3, "suffix");
    }

    [Fact]
    public void Pattern_names_the_field_and_the_pattern()
    {
        var pattern = new Regex("^[a-z]+$", RegexOptions.CultureInvariant);
        AssertFails(() => Validate.Pattern("ABC", pattern, "slug"), "slug", "^[a-z]+$", "pattern");
        Validate.Pattern("abc", pattern, "slug");
        Validate.Pattern(null, pattern, "slug");
    }

    [Fact]
    public void MaxItems_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.MaxItems(new[] { 1, 2, 3 }, 2, "stop"), "stop", "3 items", "at most 2", "maxItems");
        Validate.MaxItems(new[] { 1, 2 }, 2, "stop");
        Validate.MaxItems<int>(null, 2, "stop");
    }

    [Fact]
    public void MinItems_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.MinItems(new List<string>(), 1, "messages"), "messages", "0 items", "at least 1", "minItems");
        Validate.MinItems(new List<string> { "m" }, 1, "messages");
        Validate.MinItems<string>(null, 1, "messages");
    }

    [Fact]
    public void MaxProperties_names_the_field_and_the_limit()
    {
        var metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" };
        AssertFails(() => Validate.MaxProperties(metadata, 2, "metadata"), "metadata", "3 entries", "at most 2", "maxProperties");
        Validate.MaxProperties(metadata, 3, "metadata");
        Validate.MaxProperties<string>(null, 3, "metadata");
    }

    [Fact]
    public void MinProperties_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.MinProperties(new Dictionary<string, int>(), 1, "logit_bias"), "logit_bias", "0 entries", "at least 1", "minProperties");
        Validate.MinProperties(new Dictionary<string, int> { ["50256"] = -100 }, 1, "logit_bias");
    }

    [Fact]
    public void MaxKeyLength_names_the_field_the_limit_and_a_shortened_key()
    {
        string longKey = new('k', 70);
        var metadata = new Dictionary<string, string> { ["ok"] = "1", [longKey] = "2" };
        ArgumentException ex = AssertFails(() => Validate.MaxKeyLength(metadata, 64, "metadata"), "metadata", "70 characters", "at most 64", "propertyNames.maxLength");
        Assert.Contains(new string('k', 20) + "...", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(longKey, ex.Message, StringComparison.Ordinal);
        Validate.MaxKeyLength(new Dictionary<string, string> { [new string('k', 64)] = "1" }, 64, "metadata");
        Validate.MaxKeyLength<string>(null, 64, "metadata");
    }

    [Fact]
    public void Minimum_names_the_field_and_the_limit()
    {
        AssertFails(() => Validate.Minimum(-0.5, 0, "temperature"), "temperature", "-0.5", "at least 0", "minimum");
        Validate.Minimum(0, 0, "temperature");
        Validate.Minimum(null, 0, "temperature");
    }

    [Fact]
    public void Maximum_names_the_field_and_the_limit_in_invariant_culture()
    {
        AssertFails(() => Validate.Maximum(2.5, 2, "top_p"), "top_p", "2.5", "at most 2", "maximum");
        AssertFails(() => Validate.Maximum(1.25, 1.2, "top_p"), "top_p", "1.25", "at most 1.2", "maximum");
        Validate.Maximum(2, 2, "top_p");
        Validate.Maximum(null, 2, "top_p");
    }

    [Fact]
    public void NotNull_names_the_field()
    {
        AssertFails(() => Validate.NotNull(null, "model"), "model", "required");
        Validate.NotNull("gpt", "model");
    }

    [Fact]
    public void Member_item_and_entry_build_the_path_of_a_nested_field()
    {
        string path = Validate.Entry(Validate.Member(Validate.Item(Validate.Member(string.Empty, "messages"), 2), "metadata"), "key");

        Assert.Equal("messages[2].metadata[\"key\"]", path);
        AssertFails(() => Validate.MaxLength(new string('v', 513), 512, path), path, "at most 512");
    }

    private static ArgumentException AssertFails(Action check, string field, params string[] fragments)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(check);
        Assert.Equal(field, ex.ParamName);
        Assert.Contains("'" + field + "'", ex.Message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }

        return ex;
    }
}
