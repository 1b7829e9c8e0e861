using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>
/// Spec names become C# names next to names the generator uses itself (locals, members of the
/// generated types, the converters). Whatever a spec calls things, the output must compile with
/// warnings as errors, as it does in a user's project with TreatWarningsAsErrors.
/// </summary>
public sealed class GeneratedNamesTests
{
    private const string Header = "openapi: 3.1.0\ninfo:\n  title: Names\n  version: 1.0.0\n";

    [Fact]
    public void A_schema_whose_one_part_gives_its_shape_keeps_its_own_name()
    {
        // `allOf` or `oneOf` with a single part written in place is the schema itself: Named, not Named2.
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Named:
                  allOf:
                    - type: object
                      properties:
                        name: { type: string }
                Labelled:
                  description: A label, or nothing.
                  oneOf:
                    - type: object
                      properties:
                        label: { type: string }
                    - type: 'null'
            """);

        result.AssertCleanAndCompiles();
        Assert.Equal(
            new[] { "Test.Api.Labelled.g.cs", "Test.Api.Named.g.cs" },
            result.Files.Keys.Where(k => k.StartsWith("Test.Api.Named", System.StringComparison.Ordinal) || k.StartsWith("Test.Api.Labelled", System.StringComparison.Ordinal)).OrderBy(k => k, System.StringComparer.Ordinal));
    }

    [Fact]
    public void Members_named_like_the_generated_members_and_the_type_itself_get_other_names()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  required: [name, value]
                  properties:
                    thing: { type: string }
                    additional_properties: { type: string }
                    validate: { type: boolean }
                    name: { type: string }
                    value: { type: string }
                    reader: { type: string }
                    unknown: { type: string }
                    class: { type: string }
            """);

        result.AssertCleanAndCompiles();
        string thing = result.Files["Test.Api.Thing.g.cs"];
        Assert.Contains("public string? Thing2 { get; set; }", thing);
        Assert.Contains("public string? AdditionalProperties2 { get; set; }", thing);
        Assert.Contains("public bool? Validate2 { get; set; }", thing);
        Assert.Contains("public string? Class { get; set; }", thing);
    }

    [Fact]
    public void Nullable_optional_members_whose_backing_fields_would_collide_get_distinct_fields()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    note: { type: [string, "null"] }
                    note_is_set: { type: [boolean, "null"] }
                    additional_properties: { type: [string, "null"] }
                    class: { type: [string, "null"] }
            """);
        object thing = generated.Read("Thing", """{"note":null,"additional_properties":null}""");

        GeneratedAssembly.Set(thing, "NoteIsSet", null);
        GeneratedAssembly.Set(thing, "Class", "c");

        Assert.Equal("""{"note":null,"note_is_set":null,"additional_properties":null,"class":"c"}""", generated.Write(thing));
    }

    [Fact]
    public void Parameters_named_like_CSharp_keywords_or_the_fixed_arguments_compile()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /things/{class}:
                post:
                  operationId: makeThing
                  parameters:
                    - { name: class, in: path, required: true, schema: { type: string } }
                    - { name: default, in: query, schema: { type: integer } }
                    - { name: options, in: query, schema: { type: string } }
                    - { name: cancellationToken, in: query, schema: { type: string } }
                    - { name: body, in: header, schema: { type: string } }
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: { type: object, properties: { a: { type: string } } }
                  responses:
                    '204': { description: ok }
            """);

        result.AssertCleanAndCompiles();
        Assert.Contains("MakeThingAsync(string @class, global::Test.Api.MakeThingRequest body, long? @default = null, string? options2 = null, string? cancellationToken2 = null, string? body2 = null,", result.Unwrapped("Test.Api.TestClient.g.cs"));
    }

    [Fact]
    public void Enum_values_that_differ_only_in_punctuation_or_clash_with_Value_get_distinct_members()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Mode:
                  type: string
                  enum: [in_progress, in-progress, value, unknown, "2"]
            """);

        result.AssertCleanAndCompiles();
        string mode = result.Files["Test.Api.Mode.g.cs"];
        Assert.Contains("public static Mode InProgress { get; } = new Mode(\"in_progress\");", mode);
        Assert.Contains("public static Mode InProgress2 { get; } = new Mode(\"in-progress\");", mode);
        Assert.Contains("public static Mode Value2 { get; } = new Mode(\"value\");", mode);
        Assert.Contains("public static Mode Unknown { get; } = new Mode(\"unknown\");", mode);
        Assert.Matches(@"public static Mode Value\d+ \{ get; \} = new Mode\(""2""\);", mode);
    }

    [Fact]
    public void A_property_named_like_the_presence_flag_of_a_required_one_compiles()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  required: [id]
                  properties:
                    id: { type: string }
                    has_id: { type: boolean }
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void A_parameter_named_request_compiles()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /a:
                get:
                  operationId: getA
                  parameters:
                    - { name: request, in: query, schema: { type: string } }
                  responses:
                    '204': { description: ok }
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void A_paged_operation_with_a_parameter_named_token_compiles()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /a:
                get:
                  operationId: listA
                  parameters:
                    - { name: token, in: query, schema: { type: string } }
                    - { name: after, in: query, schema: { type: string } }
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              data: { type: array, items: { type: string } }
                              has_more: { type: boolean }
                              last_id: { type: string }
            """);

        result.AssertCleanAndCompiles();
        Assert.Contains("ListAAutoPagingAsync(", result.Files["Test.Api.TestClient.g.cs"]);
    }

    [Fact]
    public void Enum_values_named_like_the_methods_of_the_enum_struct_compile()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Operator:
                  type: string
                  enum: [equals, not_equals, to_string, get_hash_code]
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void Properties_named_like_the_methods_of_object_compile()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Filter:
                  type: object
                  properties:
                    equals: { type: string }
                    to_string: { type: string }
                    get_type: { type: string }
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void A_schema_named_like_the_converter_of_another_compiles()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Foo:
                  type: object
                  properties:
                    a: { type: string }
                FooJsonConverter:
                  type: object
                  properties:
                    b: { type: string }
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void Members_and_schemas_named_like_the_types_nested_in_models_and_unions_get_other_names()
    {
        // Every model and union nests its converter (JsonConverter), every union its private
        // VariantKind enum: a member or a type of that name would be CS0102 or CS0542.
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    json_converter: { type: string }
                    variant_kind: { type: string }
                JsonConverter:
                  type: object
                  properties:
                    a: { type: string }
                VariantKind:
                  oneOf:
                    - { type: string }
                    - { type: integer }
                Tagged:
                  oneOf:
                    - $ref: "#/components/schemas/First"
                    - $ref: "#/components/schemas/Second"
                  discriminator: { propertyName: variant_kind }
                First:
                  type: object
                  required: [variant_kind]
                  properties:
                    variant_kind: { type: string, enum: [first] }
                Second:
                  type: object
                  required: [variant_kind]
                  properties:
                    variant_kind: { type: string, enum: [second] }
            """);

        result.AssertCleanAndCompiles();
        string thing = result.Files["Test.Api.Thing.g.cs"];
        Assert.Contains("public string? JsonConverter2 { get; set; }", thing);
        Assert.Contains("public string? VariantKind { get; set; }", thing);
        Assert.Contains("public sealed partial class JsonConverter2", result.Files["Test.Api.JsonConverter2.g.cs"]);
        Assert.Contains("public sealed partial class VariantKind2", result.Files["Test.Api.VariantKind2.g.cs"]);
        Assert.DoesNotContain("public string? VariantKind =>", result.Files["Test.Api.Tagged.g.cs"]);
    }

    [Fact]
    public void A_union_of_scalars_compiles_with_warnings_as_errors()
    {
        // No variant needs validation here; an empty 'switch (_kind) { }' would be warning CS1522.
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths: {}
            components:
              schemas:
                StringOrNumber:
                  oneOf:
                    - type: string
                    - type: integer
            """);

        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void Very_long_names_are_cut_with_a_stable_hash_and_stay_distinct()
    {
        string longSchema = "Schema" + new string('x', 300);
        string nested = string.Join("\n", Enumerable.Range(0, 12).Select(i => new string(' ', 10 + (4 * i)) + $"level_{i}_with_a_rather_long_member_name:\n" + new string(' ', 12 + (4 * i)) + "type: object\n" + new string(' ', 12 + (4 * i)) + "properties:"));
        string spec = Header + $$"""
            paths:
              /a:
                get:
                  operationId: {{"get" + new string('y', 300) + "One"}}
                  responses:
                    '204': { description: ok }
              /b:
                get:
                  operationId: {{"get" + new string('y', 300) + "Two"}}
                  responses:
                    '204': { description: ok }
            components:
              schemas:
                {{longSchema}}A:
                  type: object
                  properties:
                    {{new string('p', 400)}}:
                      type: string
                {{longSchema}}B:
                  type: object
                  properties:
            {{nested}}
                                                                      leaf: { type: string }
            """;

        GenerationResult first = GeneratorHarness.Run(spec);
        GenerationResult second = GeneratorHarness.Run(spec);

        first.AssertCleanAndCompiles();
        Assert.Equal(first.Files.Keys.OrderBy(k => k), second.Files.Keys.OrderBy(k => k));
        Assert.All(first.Files.Keys, hint => Assert.True(hint.Length <= "Test.Api.".Length + 128 + ".g.cs".Length, $"{hint.Length}: {hint}"));
        var typeNames = first.Files.Keys.Select(k => k.Substring("Test.Api.".Length, k.Length - "Test.Api.".Length - ".g.cs".Length)).ToList();
        Assert.Equal(typeNames.Count, typeNames.Distinct().Count());
        Assert.Contains(typeNames, n => n.Length == 128 && System.Text.RegularExpressions.Regex.IsMatch(n, "^Schemax+_[0-9a-f]{8}$"));
        string client = first.Files["Test.Api.TestClient.g.cs"];
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(client, @"public [^ ]+ Gety+_[0-9a-f]{8}Async\(").Count);
    }

    [Fact]
    public void Names_that_collide_after_PascalCasing_duplicate_operation_ids_and_equivalent_paths_get_numbered_and_keep_their_JSON_names()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /users/{id}:
                get:
                  operationId: getUser
                  parameters:
                    - { name: id, in: path, required: true, schema: { type: string } }
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/user_account' }
              /users/{name}:
                get:
                  operationId: getUser
                  parameters:
                    - { name: name, in: path, required: true, schema: { type: string } }
                  responses:
                    '204': { description: ok }
              /users/by-id/{id}:
                get:
                  operationId: get_user
                  parameters:
                    - { name: id, in: path, required: true, schema: { type: string } }
                  responses:
                    '204': { description: ok }
              /users:
                get:
                  responses:
                    '204': { description: ok }
                post:
                  responses:
                    '204': { description: ok }
            components:
              schemas:
                user-account:
                  type: object
                  properties:
                    id: { type: string }
                user_account:
                  type: object
                  properties:
                    id: { type: string }
                    ID: { type: integer }
                    Id: { type: boolean }
                    i-d: { type: number }
                UserAccount:
                  type: object
                  properties:
                    name: { type: string }
            """);

        // The reader says that /users/{id} and /users/{name} are the same path (they are, to a
        // server); both operations are still generated, as separate methods.
        result.AssertNoCrash();
        result.AssertCompiles();
        Assert.All(result.GeneratorDiagnostics, d => Assert.Contains("MUST be unique", d.GetMessage()));
        Assert.Contains("Test.Api.UserAccount.g.cs", result.Files.Keys);
        Assert.Contains("Test.Api.UserAccount2.g.cs", result.Files.Keys);
        Assert.Contains("Test.Api.UserAccount3.g.cs", result.Files.Keys);
        string client = result.Unwrapped("Test.Api.TestClient.g.cs");
        Assert.Contains("Task<global::Test.Api.UserAccount2> GetUserAsync(string id,", client);
        Assert.Contains(" GetUser2Async(string name,", client);
        Assert.Contains(" GetUser3Async(string id,", client);
        Assert.Contains(" GetUsersAsync(", client);
        Assert.Contains(" PostUsersAsync(", client);

        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(string.Join("\n", Header, "paths: {}", "components:", "  schemas:", "    user_account:", "      type: object", "      properties:", "        id: { type: string }", "        ID: { type: integer }", "        Id: { type: boolean }", "        i-d: { type: number }"));
        const string json = """{"id":"a","ID":2,"Id":true,"i-d":1.5}""";
        Assert.Equal(json, generated.Write(generated.Read("UserAccount", json)));
    }

    [Fact]
    public void Schemas_named_like_CSharp_keywords_framework_types_or_the_client_compile()
    {
        GenerationResult result = GeneratorHarness.Run(Header + """
            paths:
              /x:
                get:
                  operationId: getX
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/System' }
            components:
              schemas:
                object: { type: object, properties: { a: { type: string } } }
                string: { type: object, properties: { a: { type: string } } }
                class: { type: string, enum: [a, b] }
                System: { type: object, properties: { task: { $ref: '#/components/schemas/Task' } } }
                Task: { type: object, properties: { string: { $ref: '#/components/schemas/string' } } }
                TestClient: { type: object, properties: { a: { type: string } } }
                JsonElement: { type: object, properties: { a: { type: string } } }
                Test: { type: object, properties: { api: { type: string } } }
                Api: { type: object, properties: { test: { type: string } } }
            """);

        result.AssertCleanAndCompiles();
        Assert.Contains("Test.Api.TestClient2.g.cs", result.Files.Keys);
        Assert.Contains("Test.Api.Class.g.cs", result.Files.Keys);
    }

    [Fact]
    public void The_private_request_builder_of_an_operation_takes_another_name_when_a_tag_property_already_has_its_own()
    {
        // Untagged `foo` stays on the client, next to the property of the tag `buildFooRequest`.
        string spec = Header + """
            paths:
              /foo:
                get:
                  operationId: foo
                  responses:
                    '204': { description: ok }
              /bar:
                get:
                  operationId: bar
                  tags: [buildFooRequest]
                  responses:
                    '204': { description: ok }
            """;
        GenerationResult result = RunGroupedByTag(spec);

        result.AssertCleanAndCompiles();
        string client = result.Files["Test.Api.TestClient.g.cs"];
        Assert.Contains("public global::Test.Api.BuildFooRequestOperations BuildFooRequest { get; }", client);
        Assert.Contains("private global::Specgen.Runtime.ApiRequest BuildFooRequest2()", client);
        Assert.Contains("private global::Specgen.Runtime.ApiRequest BuildBarRequest()", result.Files["Test.Api.BuildFooRequestOperations.g.cs"]);
    }

    [Theory]
    [InlineData("Options")]
    [InlineData("Token")]
    [InlineData("Current")]
    [InlineData("PollInterval")]
    public void A_polled_resource_named_like_a_parameter_of_its_poll_method_gets_another_parameter_name(string pollName)
    {
        GenerationResult result = GeneratorHarness.Run(FuzzFoundTests.PolledRun
            .Replace("required: [status]", "required: [id, status]")
            .Replace("name: Run", "name: " + pollName));

        // The resource's parameter used to be the poller's name in camel case, whatever else the method was called.
        result.AssertCleanAndCompiles();
        string camel = char.ToLowerInvariant(pollName[0]) + pollName.Substring(1);
        Assert.Contains($"Poll{pollName}Async(global::Test.Api.Run {camel}2, ", result.Unwrapped("Test.Api.TestClient.g.cs"));
    }

    [Fact]
    public void Emitters_choose_no_names_the_naming_pass_chose_them()
    {
        // Every name the generated code declares comes from the model (Mapping/MemberNaming.cs and the
        // mappers), so that a collision is resolved in one place; an emitter only writes names.
        string emitting = System.IO.Path.Combine(RepoPaths.RepoRoot, "generator", "Emitting");
        string[] choosing = { "new NameScope", "new Mapping.NameScope", ".Claim(", "Naming.Camel(", "Naming.Pascal(" };
        var offenders = System.IO.Directory.GetFiles(emitting, "*.cs")
            .SelectMany(file => System.IO.File.ReadLines(file).Select((line, index) => (File: System.IO.Path.GetFileName(file), Line: index + 1, Text: line)))
            .Where(line => choosing.Any(line.Text.Contains))
            .Select(line => $"{line.File}:{line.Line}: {line.Text.Trim()}")
            .ToArray();

        Assert.True(offenders.Length == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Schemas_named_like_the_generated_interfaces_leave_them_their_names()
    {
        string spec = Header + """
            paths:
              /things:
                get:
                  operationId: listThings
                  tags: [Things]
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/IThingsOperations' }
            components:
              schemas:
                ITestClient: { type: object, properties: { id: { type: string } } }
                IThingsOperations: { type: object, properties: { id: { type: string } } }
            """;
        GenerationResult result = RunGroupedByTag(spec);

        result.AssertCleanAndCompiles();
        Assert.Contains("public sealed partial class TestClient : global::Test.Api.ITestClient", result.Files["Test.Api.TestClient.g.cs"]);
        Assert.Contains("public sealed partial class ITestClient2", result.Files["Test.Api.ITestClient2.g.cs"]);
        Assert.Contains("public sealed partial class ThingsOperations2 : global::Test.Api.IThingsOperations2", result.Files["Test.Api.ThingsOperations2.g.cs"]);
    }

    /// <summary>Generates with the client grouped by tag (<c>SpecgenClientGrouping=tags</c>).</summary>
    private static GenerationResult RunGroupedByTag(string spec) =>
        GeneratorHarness.Run(spec, options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new System.Collections.Generic.Dictionary<string, string>
        {
            ["SpecgenNamespace"] = "Test.Api",
            ["SpecgenClientName"] = "TestClient",
            ["SpecgenClientGrouping"] = "tags",
        }));
}
