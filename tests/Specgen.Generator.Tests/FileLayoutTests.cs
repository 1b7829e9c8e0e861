using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Specgen.Generator.Mapping;

namespace Specgen.Generator.Tests;

/// <summary>
/// Which file each type goes into: a file per type in a document of up to
/// <see cref="FileLayout.OneFilePerTypeUpTo"/> types, and a bounded number of shared files above,
/// so that the number of files (which Roslyn's per-run check pays for quadratically) stays flat.
/// </summary>
public sealed class FileLayoutTests
{
    /// <summary>A document of <paramref name="count"/> object schemas (<c>Schema0</c>…), each referring to the next, and one operation.</summary>
    internal static string ManySchemas(int count)
    {
        var spec = new StringBuilder("""
            openapi: 3.1.0
            info: { title: Many, version: 1.0.0 }
            paths:
              /first:
                get:
                  operationId: getFirst
                  responses:
                    '200':
                      description: The first.
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Schema0' }
            components:
              schemas:

            """);
        for (int i = 0; i < count; i++)
        {
            spec.Append($"    Schema{i}:\n      type: object\n      description: Schema {i}.\n      required: [id]\n      properties:\n        id: {{ type: string, description: The id of schema {i}. }}\n");
            if (i + 1 < count)
            {
                spec.Append($"        next: {{ $ref: '#/components/schemas/Schema{i + 1}' }}\n");
            }
        }

        return spec.ToString();
    }

    [Fact]
    public void A_document_of_up_to_the_limit_gets_a_file_per_type_named_after_it()
    {
        GenerationResult result = GeneratorHarness.Run(ManySchemas(FileLayout.OneFilePerTypeUpTo));

        result.AssertCleanAndCompiles();
        Assert.Equal(FileLayout.OneFilePerTypeUpTo, result.Files.Keys.Count(name => Regex.IsMatch(name, @"^Test\.Api\.Schema\d+\.g\.cs$")));
        Assert.DoesNotContain(result.Files.Keys, name => name.Contains(".Models."));
    }

    [Fact]
    public void A_larger_document_shares_a_bounded_number_of_files_each_type_declared_once()
    {
        const int count = FileLayout.OneFilePerTypeUpTo + 300;
        GenerationResult result = GeneratorHarness.Run(ManySchemas(count));

        result.AssertCleanAndCompiles();
        string[] shared = result.Files.Keys.Where(name => Regex.IsMatch(name, @"^Test\.Api\.Models\.\d{3}\.g\.cs$")).ToArray();
        Assert.InRange(shared.Length, 2, FileLayout.SharedFiles);
        Assert.DoesNotContain(result.Files.Keys, name => Regex.IsMatch(name, @"^Test\.Api\.Schema\d+\.g\.cs$"));

        // Every schema's class is declared exactly once, and each shared file says which types it holds.
        string all = string.Concat(shared.Select(name => result.Files[name]));
        for (int i = 0; i < count; i++)
        {
            Assert.Single(Regex.Matches(all, $@"public sealed partial class Schema{i}\b"));
        }

        Assert.All(shared, name => Assert.Contains("In this file:", result.Files[name]));
    }

    [Fact]
    public void Which_file_a_type_goes_into_depends_on_its_name_alone()
    {
        // Dropping a schema moves no other type: the file of each is a hash of its name, not a position.
        GenerationResult full = GeneratorHarness.Run(ManySchemas(FileLayout.OneFilePerTypeUpTo + 50));
        GenerationResult shorter = GeneratorHarness.Run(ManySchemas(FileLayout.OneFilePerTypeUpTo + 49));

        string FileOf(GenerationResult result, string type) =>
            result.Files.Single(file => Regex.IsMatch(file.Value, $@"public sealed partial class {type}\b")).Key;

        foreach (string type in new[] { "Schema0", "Schema7", "Schema100", "Schema299" })
        {
            Assert.Equal(FileOf(full, type), FileOf(shorter, type));
        }
    }
}
