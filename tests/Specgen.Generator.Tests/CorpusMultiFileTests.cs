using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Tests;

/// <summary>
/// Multi-file documents (the corpus's oai/v2.0/petstore-separate, and smaller ones written here):
/// the Parse step resolves <c>$ref</c>s into other files when it is handed them
/// (<see cref="SpecParser.Parse(SpecInput, Func{string, string?}?, CancellationToken)"/>), and
/// reports each one it cannot resolve where it is, in the file it is in.
/// </summary>
/// <remarks>
/// These call the Parse step directly, with files from a dictionary; the generator hands it the
/// AdditionalFiles that a spec's <c>$ref</c>s name (SpecFiles.InProject), and CorpusTests runs
/// petstore-separate that way, end to end.
/// </remarks>
public sealed class CorpusMultiFileTests
{
    private const string Entry = "/project/specs/openapi.yaml";

    [SharedCorpusFact]
    public void Petstore_separate_with_its_files_reads_every_reference_of_the_swagger_2_0_document()
    {
        string folder = Path.Combine(CorpusDocuments.Root, "oai", "v2.0", "petstore-separate");
        string entry = Path.Combine(folder, "spec", "swagger.json");
        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText, StringComparer.Ordinal);

        ParseResult result = Parse(entry, files[entry], files);

        Assert.Empty(result.Diagnostics);
        ApiModel model = Assert.IsType<ApiModel>(result.Model);
        Assert.Equal(new[] { "addPet", "deletePet", "find pet by id", "findPets" }, model.Client.Operations.Select(o => o.OperationId).OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(new[] { "tags", "limit" }, model.Client.Operations.Single(o => o.OperationId == "findPets").Parameters.Select(p => p.JsonName));
        Assert.Equal(new[] { "Error", "NewPet", "Pet" }, model.Types.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "id", "name", "tag" }, Properties(model, "Pet"));
    }

    [SharedCorpusFact]
    public void Petstore_separate_without_its_files_reports_each_reference_where_it_is_and_generates_the_rest()
    {
        string entry = Path.Combine(CorpusDocuments.Root, "oai", "v2.0", "petstore-separate", "spec", "swagger.json");

        ParseResult result = Parse(entry, File.ReadAllText(entry), new Dictionary<string, string>());

        Assert.NotNull(result.Model);
        Assert.Equal(4, result.Model!.Client.Operations.Count);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.Equal("SPEC002", d.Id);
            Assert.Equal(entry, d.Location!.FilePath);
            Assert.True(d.Location.Line > 0, d.ToString());
            Assert.Contains("which is not an AdditionalFiles item of the project; add it", d.Detail);
        });
    }

    [Fact]
    public void A_schema_from_another_file_is_one_type_however_often_it_is_used()
    {
        var files = new Dictionary<string, string>
        {
            [Entry] = Spec(
                "paths:",
                "  /pets:",
                "    get:",
                "      operationId: listPets",
                "      parameters:",
                "        - $ref: 'parameters.yaml#/limit'",
                "      responses:",
                "        '200':",
                "          description: ok",
                "          content:",
                "            application/json:",
                "              schema:",
                "                type: array",
                "                items:",
                "                  $ref: './schemas/Pet.yaml'",
                "    post:",
                "      operationId: addPet",
                "      requestBody:",
                "        content:",
                "          application/json:",
                "            schema:",
                "              $ref: 'schemas/Pet.yaml'",
                "      responses:",
                "        '200':",
                "          description: ok",
                "          content:",
                "            application/json:",
                "              schema:",
                "                $ref: 'schemas/../schemas/Pet.yaml#'"),
            ["/project/specs/parameters.yaml"] = Lines("limit:", "  name: limit", "  in: query", "  schema:", "    type: integer", "    maximum: 100"),
            ["/project/specs/schemas/Pet.yaml"] = Lines(
                "type: object",
                "required: [id]",
                "properties:",
                "  id:",
                "    type: string",
                "  owner:",
                "    $ref: 'Owner.yaml'",
                "  tags:",
                "    type: array",
                "    items:",
                "      $ref: '../common.yaml#/Tag'"),
            ["/project/specs/common.yaml"] = Lines("Tag:", "  type: object", "  properties:", "    color:", "      $ref: '#/Color'", "Color:", "  type: string", "  enum: [red, blue]"),
            ["/project/specs/schemas/Owner.yaml"] = Lines("type: object", "properties:", "  name:", "    type: string", "  pet:", "    $ref: 'Pet.yaml'"),
        };

        ParseResult result = Parse(Entry, files[Entry], files);

        Assert.Empty(result.Diagnostics);
        ApiModel model = result.Model!;
        Assert.Equal(new[] { "Color", "Owner", "Pet", "Tag" }, model.Types.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "color" }, Properties(model, "Tag"));
        Assert.Equal(new[] { "id", "owner", "tags" }, Properties(model, "Pet"));
        Assert.Equal(new[] { "name", "pet" }, Properties(model, "Owner"));
        Assert.Equal("limit", Assert.Single(model.Client.Operations.Single(o => o.OperationId == "listPets").Parameters).JsonName);
    }

    [Fact]
    public void A_reference_to_a_missing_file_is_SPEC002_at_the_reference_and_the_part_is_left_out()
    {
        string spec = Spec(
            "paths:",
            "  /pets:",
            "    get:",
            "      operationId: listPets",
            "      parameters:",
            "        - $ref: 'parameters.yaml#/limit'",
            "        - name: after",
            "          in: query",
            "          schema:",
            "            type: string",
            "      responses:",
            "        '200':",
            "          description: ok",
            "          content:",
            "            application/json:",
            "              schema:",
            "                $ref: 'Pet.yaml'",
            "    delete:",
            "      operationId: deletePets",
            "      responses:",
            "        '204':",
            "          $ref: 'responses.yaml#/NoContent'");

        ParseResult result = Parse(Entry, spec, new Dictionary<string, string> { [Entry] = spec });

        Assert.Collection(
            result.Diagnostics.OrderBy(d => d.Location!.Line),
            parameter => AssertDiagnostic(parameter, "SPEC002", Entry, LineOf(spec, "- $ref: 'parameters.yaml#/limit'"), "the parameter is left out"),
            schema => AssertDiagnostic(schema, "SPEC002", Entry, LineOf(spec, "$ref: 'Pet.yaml'"), "the value is kept as raw JSON"),
            response => AssertDiagnostic(response, "SPEC002", Entry, LineOf(spec, "$ref: 'responses.yaml#/NoContent'"), "is left out"));
        OperationModel listPets = Assert.Single(result.Model!.Client.Operations);
        Assert.Equal("listPets", listPets.OperationId);
        Assert.Equal("after", Assert.Single(listPets.Parameters).JsonName);
    }

    [Fact]
    public void A_problem_inside_another_file_is_reported_in_that_file_on_its_line()
    {
        var files = new Dictionary<string, string>
        {
            [Entry] = Spec("paths: {}", "components:", "  schemas:", "    Pet:", "      $ref: 'Pet.yaml'", "    Broken:", "      $ref: 'Broken.yaml'"),
            ["/project/specs/Pet.yaml"] = Lines("type: object", "properties:", "  id:", "    type: string", "  size:", "    type: integer", "    maxLength: big"),
            ["/project/specs/Broken.yaml"] = Lines("type: object", "properties:", "  id: [unclosed"),
        };

        ParseResult result = Parse(Entry, files[Entry], files);

        DiagnosticInfo keyword = Assert.Single(result.Diagnostics, d => d.Id == "SPEC004");
        AssertDiagnostic(keyword, "SPEC004", "/project/specs/Pet.yaml", 7, "'maxLength' must be a whole number");
        Assert.Equal("Pet.yaml#/properties/size/maxLength", keyword.Pointer);
        DiagnosticInfo syntax = Assert.Single(result.Diagnostics, d => d.Id == "SPEC001");
        Assert.Equal("/project/specs/Broken.yaml", syntax.Location!.FilePath);
        DiagnosticInfo reference = Assert.Single(result.Diagnostics, d => d.Id == "SPEC002");
        AssertDiagnostic(reference, "SPEC002", Entry, LineOf(files[Entry], "$ref: 'Broken.yaml'"), "which cannot be read");
        Assert.Contains(result.Model!.Types, t => t.Name == "Pet");
    }

    [Fact]
    public void References_between_files_that_go_round_in_a_circle_end_with_a_diagnostic()
    {
        var files = new Dictionary<string, string>
        {
            [Entry] = Spec(
                "paths:",
                "  /a:",
                "    get:",
                "      operationId: getA",
                "      parameters:",
                "        - $ref: 'a.yaml#/p'",
                "      responses:",
                "        '204':",
                "          description: ok"),
            ["/project/specs/a.yaml"] = Lines("p:", "  $ref: 'b.yaml#/p'"),
            ["/project/specs/b.yaml"] = Lines("p:", "  $ref: 'a.yaml#/p'"),
        };

        ParseResult result = Parse(Entry, files[Entry], files);

        Assert.Contains(result.Diagnostics, d => d.Id == "SPEC002" && d.Detail.Contains("cycle", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SPEC005");
    }

    private static ParseResult Parse(string path, string text, IReadOnlyDictionary<string, string> files) =>
        SpecParser.Parse(new SpecInput(path, text, "Test.Api", "TestClient"), other => files.TryGetValue(other, out string? found) ? found : null, CancellationToken.None);

    private static IEnumerable<string> Properties(ApiModel model, string type) =>
        Assert.IsType<ObjectModel>(model.Types.Single(t => t.Name == type)).Properties.Select(p => p.JsonName);

    private static void AssertDiagnostic(DiagnosticInfo diagnostic, string id, string file, int line, string text)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(file, diagnostic.Location!.FilePath);
        Assert.True(diagnostic.Location.Line + 1 == line, $"{diagnostic.Id} is on line {diagnostic.Location.Line + 1}, expected {line}: {diagnostic.Detail}");
        Assert.Contains(text, diagnostic.Detail);
    }

    private static string Spec(params string[] lines) => Lines(new[] { "openapi: 3.0.3", "info:", "  title: Multi", "  version: 1.0.0" }.Concat(lines).ToArray());

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static int LineOf(string text, string fragment)
    {
        string[] lines = text.Split('\n');
        return Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal)) + 1;
    }
}
