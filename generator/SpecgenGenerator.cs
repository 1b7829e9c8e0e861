using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Emitting;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;

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

        // 3. Parse: YAML/JSON -> OpenAPI -> value-equal model, then the spec's settings (filters,
        //    grouping, visibility). Nothing from OpenAPI escapes this step.
        IncrementalValuesProvider<ParseResult> parsed = specs
            .Select(static (input, ct) => Configuration.Apply(SpecParser.Parse(input, input.ReadOtherFile, ct), input))
            .WithTrackingName(TrackingNames.Parse);

        // 4. Diagnostics on their own output, so that a moved line never re-emits code.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, infos) =>
        {
            foreach (DiagnosticInfo info in infos)
            {
                spc.ReportDiagnostic(info.ToDiagnostic());
            }
        });

        // 5. One value per type: editing one schema re-emits one file.
        IncrementalValuesProvider<TypeModel> types = parsed
            .SelectMany(static (result, _) => result.Model?.Types ?? EquatableArray<TypeModel>.Empty)
            .WithTrackingName(TrackingNames.Types);
        context.RegisterSourceOutput(types, static (spc, type) => spc.AddSource(type.HintName, TypeEmitter.Emit(type)));

        // 6. One value per client: the operations (and their classes per tag), the JSON resolver and the credentials.
        IncrementalValuesProvider<ClientModel> clients = parsed
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!.Client)
            .WithTrackingName(TrackingNames.Clients);
        context.RegisterSourceOutput(clients, static (spc, client) =>
        {
            spc.AddSource(client.HintName, ClientEmitter.Emit(client));
            foreach (ClientGroupModel group in client.Groups)
            {
                spc.AddSource(ClientEmitter.HintName(client, group), ClientEmitter.EmitGroup(client, group));
            }

            spc.AddSource(ResolverEmitter.HintName(client), ResolverEmitter.Emit(client));
            if (client.CredentialsName is not null)
            {
                spc.AddSource(client.CredentialsHintName, CredentialsEmitter.Emit(client));
            }
        });
    }
}
