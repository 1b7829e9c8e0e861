using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Emitting;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator;

/// <summary>Turns OpenAPI documents given as AdditionalFiles into typed clients, at compile time.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecgenGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Which files are specs, with their settings: strings only, cached on the text.
        IncrementalValuesProvider<SpecInput> files = context.AdditionalTextsProvider
            .Where(static file => SpecFiles.HasSpecExtension(file.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => SpecFiles.ToInput(pair.Left, pair.Right, ct))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(TrackingNames.SpecInput);

        // 2. The specs of the project together: namespaces and hint names that never collide, and
        //    the files each one's $refs name (a multi-file spec). A spec whose settled input is
        //    unchanged stays cached in every step after this one.
        IncrementalValueProvider<ImmutableArray<SpecFile>> others = context.AdditionalTextsProvider
            .Where(static file => SpecFiles.HasSpecExtension(file.Path))
            .Select(static (file, ct) => SpecFiles.ToFile(file, ct))
            .Collect();
        IncrementalValuesProvider<SpecInput> specs = files.Collect()
            .Combine(others)
            .SelectMany(static (pair, ct) => SpecFiles.InProject(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.InProject);

        // 3. Parse: YAML/JSON -> OpenAPI -> value-equal model of the whole document. Its input is
        //    the spec without the settings applied after it, so a change of setting alone leaves
        //    it cached, plus the few bools of what the project's framework has (DateOnly...), so
        //    that an edit of the project's code does too; and, for YAML, it reads the text with its
        //    descriptions and summaries as tokens, put back after it, so that writing them leaves
        //    it cached too. Nothing from OpenAPI escapes this step.
        IncrementalValueProvider<TargetFeatures> target = context.CompilationProvider
            .Select(static (compilation, _) => TargetFeatures.Of(compilation));
        IncrementalValuesProvider<ProseSplit> split = specs
            .Combine(target)
            .Select(static (pair, _) => pair.Left.ForParse() with { Target = pair.Right })
            .WithTrackingName(TrackingNames.ParseInput)
            .Select(static (input, _) => ProseSplit.Of(input))
            .WithTrackingName(TrackingNames.Prose);
        IncrementalValuesProvider<ParseResult> tokenized = split
            .Select(static (input, _) => input.ForParse())
            .Select(static (input, ct) => SpecParser.Parse(input, input.ReadOtherFile, ct))
            .WithTrackingName(TrackingNames.Parse);
        IncrementalValuesProvider<ParseResult> parsed = tokenized.Collect()
            .Combine(split.Select(static (input, _) => input.Texts).Collect())
            .SelectMany(static (pair, _) => pair.Left.Zip(pair.Right, static (result, texts) => (result, texts)))
            .Select(static (pair, _) => ProseFill.Fill(pair.result, pair.texts))
            .WithTrackingName(TrackingNames.Documented);

        // 4. Settings: filters, grouping, visibility and hint names, applied to each model; and the
        //    project's C# version, which must be able to compile what is generated.
        IncrementalValueProvider<ImmutableArray<SpecConfiguration>> configurations = specs
            .Select(static (input, _) => input.Configuration)
            .Collect();
        IncrementalValueProvider<LanguageVersion> languageVersion = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Latest);
        IncrementalValuesProvider<ParseResult> configured = parsed
            .Combine(configurations.Combine(languageVersion))
            .Select(static (pair, _) => Configuration.Apply(pair.Left, pair.Right.Left, pair.Right.Right))
            .WithTrackingName(TrackingNames.Settings);

        // 5. Diagnostics on their own output, so that a moved line never re-emits code.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = configured
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, infos) =>
        {
            foreach (DiagnosticInfo info in infos)
            {
                spc.ReportDiagnostic(info.ToDiagnostic());
            }
        });

        // 6. One value per file of types (a type each, or a bucket of a large document's):
        //    editing one schema re-emits one file.
        IncrementalValuesProvider<TypeFileModel> types = configured
            .SelectMany(static (result, _) => result.Model is { } model ? FileLayout.Files(model.Types) : Enumerable.Empty<TypeFileModel>())
            .WithTrackingName(TrackingNames.Types);
        context.RegisterSourceOutput(types, static (spc, file) => spc.AddSource(file.HintName, TypeEmitter.Emit(file)));

        // 7. The client (with its credentials), each class of a tag, and the JSON resolver, each a
        //    value of its own: a new schema re-emits the resolver, not the client.
        IncrementalValuesProvider<ClientModel> clients = configured
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => Configuration.ClientFile(result.Model!.Client))
            .WithTrackingName(TrackingNames.Clients);
        context.RegisterSourceOutput(clients, static (spc, client) =>
        {
            spc.AddSource(client.HintName, ClientEmitter.Emit(client));
            if (client.CredentialsName is not null)
            {
                spc.AddSource(client.CredentialsHintName, CredentialsEmitter.Emit(client));
            }
        });

        IncrementalValuesProvider<GroupFileModel> groups = configured
            .SelectMany(static (result, _) => result.Model is { } model ? Configuration.GroupFiles(model.Client) : Enumerable.Empty<GroupFileModel>())
            .WithTrackingName(TrackingNames.Groups);
        context.RegisterSourceOutput(groups, static (spc, file) => spc.AddSource(ClientEmitter.HintName(file.Client, file.Group), ClientEmitter.EmitGroup(file.Client, file.Group)));

        IncrementalValuesProvider<ResolverModel> resolvers = configured
            .Select(static (result, _) => result.Model?.Resolver)
            .Where(static resolver => resolver is not null)
            .Select(static (resolver, _) => resolver!)
            .WithTrackingName(TrackingNames.Resolvers);
        context.RegisterSourceOutput(resolvers, static (spc, resolver) => spc.AddSource(resolver.HintName, ResolverEmitter.Emit(resolver)));

        // 8. On an older framework (.NET Framework, .NET Standard), the attributes `required` needs,
        //    once per project, when it has a client at all.
        IncrementalValueProvider<bool> generatesModels = configured
            .Select(static (result, _) => result.Model is not null)
            .Collect()
            .Select(static (models, _) => models.Contains(true));
        context.RegisterSourceOutput(target.Combine(generatesModels), static (spc, pair) =>
        {
            if (pair.Left.NeedsPolyfills && pair.Right)
            {
                spc.AddSource(PolyfillEmitter.HintName, PolyfillEmitter.Emit(pair.Left));
            }
        });
    }
}
