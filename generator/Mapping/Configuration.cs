using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using System.Text.RegularExpressions;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Applies a spec's settings to the model mapped from the whole document: which operations (and
/// then which types) are generated, whether the operations are grouped by tag, visibility and
/// hint names. Names are chosen from the whole document first, so that filtering or grouping
/// never renames a type.
/// </summary>
internal static class Configuration
{
    /// <summary>
    /// The oldest C# that compiles the generated code: <c>required</c> members and UTF-8 string
    /// literals (<c>"type"u8</c>) are C# 11.
    /// </summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp11;

    /// <summary>
    /// The settings of <paramref name="result"/>'s spec applied to its model; or, when the project's
    /// C# is older than <see cref="MinimumLanguageVersion"/>, no model and one error that says so.
    /// </summary>
    public static ParseResult Apply(ParseResult result, ImmutableArray<SpecConfiguration> configurations, LanguageVersion languageVersion)
    {
        if (languageVersion < MinimumLanguageVersion)
        {
            string needed = MinimumLanguageVersion.ToDisplayString();
            var tooOld = new DiagnosticInfo(
                DiagnosticDescriptors.LanguageVersionTooLow.Id,
                $"The code generated from this spec needs C# {needed} or later, and the project compiles C# {languageVersion.ToDisplayString()}: set <LangVersion>{needed}</LangVersion> (or later) in the project file. Nothing is generated until then",
                string.Empty,
                new LocationInfo(result.Path, 0, 0));
            return result with { Model = null, Diagnostics = new[] { tooOld }.ToEquatableArray() };
        }

        return Apply(result, configurations);
    }

    /// <summary>The settings of <paramref name="result"/>'s spec, found among every spec's by its path, applied to its model.</summary>
    public static ParseResult Apply(ParseResult result, ImmutableArray<SpecConfiguration> configurations)
    {
        SpecConfiguration? own = null;
        foreach (SpecConfiguration configuration in configurations)
        {
            if (configuration.Path == result.Path)
            {
                own = configuration;
                break;
            }
        }

        return Apply(result, own ?? new SpecConfiguration(result.Path, SpecSettings.Default, HintPrefix: null));
    }

    public static ParseResult Apply(ParseResult result, SpecConfiguration input)
    {
        SpecSettings settings = input.Settings;
        var diagnostics = new List<DiagnosticInfo>(result.Diagnostics);
        foreach (string problem in settings.Problems)
        {
            diagnostics.Add(SettingProblem(input, problem));
        }

        if (result.Model is not { } model)
        {
            return result with { Diagnostics = diagnostics.ToEquatableArray() };
        }

        ClientModel client = model.Client;
        List<TypeModel> types = model.Types.ToList();
        if (settings.Include.Count > 0 || settings.Exclude.Count > 0)
        {
            client = Filter(client, settings, input, diagnostics);
        }

        if (settings.Models == ModelSelection.Used)
        {
            HashSet<string> used = Reachable(client, types);
            types = types.Where(t => used.Contains(t.Name)).ToList();
        }

        // Which files name something deprecated, and which types the resolver names, are known
        // here, once it is settled which operations and types are generated.
        var deprecations = new ApiMapper.Deprecations(types);
        var deprecatedNames = new HashSet<string>(client.Operations.Where(o => o.Deprecated).Select(o => o.Name), StringComparer.Ordinal);
        bool pollingUsesDeprecated = client.Pollers.Any(p => deprecations.Uses(p.Resource) || deprecatedNames.Contains(p.RefreshOperation));
        client = client with { UsesDeprecated = client.Operations.Any(deprecations.UsedBy) || pollingUsesDeprecated };
        if (settings.Grouping == ClientGrouping.Tags)
        {
            client = GroupByTag(client, model.Types, deprecations, pollingUsesDeprecated);
        }

        // Last, once each class's operations are settled: the names of their private helpers.
        client = MemberNaming.WithHelpers(client);
        var resolver = new ResolverModel(client.Namespace, client.Name, MemberNaming.ResolverName(client.Name), types.Where(t => t is not NamedValuesModel).Select(t => t.Name).ToEquatableArray())
        {
            UsesDeprecated = types.Any(t => t.Deprecated),
        };
        string? prefix = input.HintPrefix;
        string visibility = settings.Visibility;
        if (prefix is not null || visibility != "public")
        {
            types = types.Select(t => t with { HintPrefix = prefix, Visibility = visibility }).ToList();
            client = client with { HintPrefix = prefix, Visibility = visibility };
            resolver = resolver with { HintPrefix = prefix, Visibility = visibility };
        }

        return result with { Model = new ApiModel(types.ToEquatableArray(), client, resolver), Diagnostics = diagnostics.ToEquatableArray() };
    }

    /// <summary>The client as its own file needs it: each group by its names alone (its operations are in the group's file).</summary>
    public static ClientModel ClientFile(ClientModel client) =>
        client.Groups.Count == 0 ? client : client with { Groups = client.Groups.Select(g => g with { Operations = EquatableArray<OperationModel>.Empty }).ToEquatableArray() };

    /// <summary>One file per group: the group, and the client with none of its own or other groups' operations.</summary>
    public static IEnumerable<GroupFileModel> GroupFiles(ClientModel client)
    {
        if (client.Groups.Count == 0)
        {
            yield break;
        }

        ClientModel context = ClientFile(client) with { Operations = EquatableArray<OperationModel>.Empty };
        foreach (ClientGroupModel group in client.Groups)
        {
            yield return new GroupFileModel(context, group);
        }
    }

    /// <summary>The operations that match an include pattern (all, when there is none) and no exclude pattern.</summary>
    private static ClientModel Filter(ClientModel client, SpecSettings settings, SpecConfiguration input, List<DiagnosticInfo> diagnostics)
    {
        var include = settings.Include.Select(p => new Pattern(p)).ToList();
        var exclude = settings.Exclude.Select(p => new Pattern(p)).ToList();
        var kept = new List<OperationModel>();
        foreach (OperationModel operation in client.Operations)
        {
            // Every pattern is tried (Count, not Any), so that each learns whether it matched anything.
            bool included = include.Count == 0 || include.Count(p => p.Matches(operation)) > 0;
            bool excluded = exclude.Count(p => p.Matches(operation)) > 0;
            if (included && !excluded)
            {
                kept.Add(operation);
            }
        }

        // A pattern that matches nothing is almost always a typo in a tag or an operationId.
        foreach ((Pattern pattern, string setting) in include.Select(p => (p, "SpecgenInclude")).Concat(exclude.Select(p => (p, "SpecgenExclude"))))
        {
            if (!pattern.Used)
            {
                diagnostics.Add(SettingProblem(input, $"{setting} entry '{pattern.Text}' matches no operation of the spec"));
            }
        }

        // A poller whose refresh operation is gone cannot read its resource again.
        var names = new HashSet<string>(kept.Select(o => o.Name), StringComparer.Ordinal);
        var pollers = client.Pollers.Where(p => names.Contains(p.RefreshOperation)).ToList();
        var pollNames = new HashSet<string>(pollers.Select(p => p.Name), StringComparer.Ordinal);
        kept = kept.Select(o => o.PollName is { } poll && !pollNames.Contains(poll) ? o with { PollName = null } : o).ToList();
        return client with { Operations = kept.ToEquatableArray(), Pollers = pollers.ToEquatableArray() };
    }

    /// <summary>The names of the types the client's operations and pollers reach, through members, variants, items and values.</summary>
    private static HashSet<string> Reachable(ClientModel client, List<TypeModel> types)
    {
        var byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<TypeRef>();
        foreach (OperationModel operation in client.Operations)
        {
            foreach (ParameterModel parameter in operation.Parameters)
            {
                pending.Push(parameter.Type);
            }

            Push(operation.Body?.Type);
            Push(operation.Response);
            Push(operation.Stream?.EventType);
            foreach (ErrorResponseModel error in operation.Errors)
            {
                Push(error.Type);
            }
        }

        foreach (PollingModel poller in client.Pollers)
        {
            pending.Push(poller.Resource);
        }

        while (pending.Count > 0)
        {
            TypeRef type = pending.Pop();
            Push(type.Element);
            if (type.Name is not { } name || !reached.Add(name) || !byName.TryGetValue(name, out TypeModel? model))
            {
                continue;
            }

            switch (model)
            {
                case ObjectModel objectModel:
                    foreach (PropertyModel property in objectModel.Properties)
                    {
                        pending.Push(property.Type);
                    }

                    break;
                case UnionModel union:
                    foreach (VariantModel variant in union.Variants)
                    {
                        pending.Push(variant.Type);
                        Push(variant.EventData?.Type);
                    }

                    break;
            }
        }

        return reached;

        void Push(TypeRef? type)
        {
            if (type is not null)
            {
                pending.Push(type);
            }
        }
    }

    /// <summary>
    /// One class per first tag, reached through a property of the client named after the tag
    /// (<c>client.Threads</c>); untagged operations stay on the client.
    /// </summary>
    private static ClientModel GroupByTag(ClientModel client, EquatableArray<TypeModel> allTypes, ApiMapper.Deprecations deprecations, bool pollingUsesDeprecated)
    {
        // Class names are checked against every type of the document (filtered out or not) and
        // its converter, so that a class never collides with a type, whatever the filters.
        var typeNames = new NameScope(allTypes.SelectMany(t => new[] { t.Name, t.Name + "JsonConverter" })
            .Concat(MemberNaming.ReservedTypeNames(client.Name))
            .Concat(client.CredentialsName is { } credentials ? new[] { credentials } : Array.Empty<string>()));
        var members = new NameScope(MemberNaming.ClientMembers(client));
        var descriptions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (TagModel tag in client.Tags)
        {
            descriptions[tag.Name] = tag.Description;
        }

        var groups = new List<(string Tag, string Property, string ClassName, List<OperationModel> Operations)>();
        var untagged = new List<OperationModel>();
        foreach (OperationModel operation in client.Operations)
        {
            if (operation.Tags.Count == 0)
            {
                untagged.Add(operation);
                continue;
            }

            string tag = operation.Tags[0];
            int index = groups.FindIndex(g => g.Tag == tag);
            if (index < 0)
            {
                string pascal = Naming.Pascal(tag, "Tag");
                groups.Add((tag, members.Claim(pascal), typeNames.ClaimWithPrefix(pascal + "Operations", MemberNaming.InterfaceOf(string.Empty)), new List<OperationModel>()));
                index = groups.Count - 1;
            }

            groups[index].Operations.Add(operation);
        }

        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((_, string property, _, List<OperationModel> operations) in groups)
        {
            foreach (OperationModel operation in operations)
            {
                groupOf[operation.Name] = property;
            }
        }

        return client with
        {
            Operations = untagged.ToEquatableArray(),
            Groups = groups.Select(g => new ClientGroupModel(g.Tag, g.Property, g.ClassName, descriptions.TryGetValue(g.Tag, out string? d) ? d : null, g.Operations.ToEquatableArray())
            {
                UsesDeprecated = g.Operations.Any(deprecations.UsedBy) || (pollingUsesDeprecated && g.Operations.Any(o => o.PollName is not null)),
            }).ToEquatableArray(),
            Pollers = client.Pollers.Select(p => groupOf.TryGetValue(p.RefreshOperation, out string? group) ? p with { RefreshGroup = group } : p).ToEquatableArray(),
            UsesDeprecated = untagged.Any(deprecations.UsedBy) || pollingUsesDeprecated,
        };
    }

    private static DiagnosticInfo SettingProblem(SpecConfiguration input, string problem) =>
        new(DiagnosticDescriptors.InvalidExtension.Id, problem, string.Empty, new LocationInfo(input.Path, 0, 0));

    /// <summary>One <c>tag:</c>, <c>op:</c> or <c>path:</c> pattern; <c>*</c> matches any run of characters, <c>/</c> included; case does not matter.</summary>
    private sealed class Pattern
    {
        private readonly string _kind;
        private readonly Regex _regex;

        public Pattern(string text)
        {
            Text = text;
            int colon = text.IndexOf(':');
            _kind = text.Substring(0, colon).ToLowerInvariant();
            string glob = text.Substring(colon + 1);
            _regex = new Regex("^" + string.Join(".*", glob.Split('*').Select(Regex.Escape)) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        public string Text { get; }

        public bool Used { get; private set; }

        public bool Matches(OperationModel operation)
        {
            bool match = _kind switch
            {
                "tag" => operation.Tags.Any(_regex.IsMatch),
                "op" => _regex.IsMatch(operation.OperationId),
                _ => _regex.IsMatch(operation.PathTemplate),
            };
            Used |= match;
            return match;
        }
    }
}
