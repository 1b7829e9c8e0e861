namespace Specgen.Generator.Model;

/// <summary>
/// One spec file and the settings that apply to it: strings only, so that the step after it
/// re-runs only when the text or a setting really changed.
/// </summary>
internal sealed record SpecInput(string Path, string Text, string Namespace, string ClientName)
{
    /// <summary>What the user chose for this spec (or the project) beyond its names.</summary>
    public SpecSettings Settings { get; init; } = SpecSettings.Default;

    /// <summary>
    /// Whether <see cref="Namespace"/> is the default one (root namespace + file name), which the
    /// pipeline may qualify with the folder when two specs would otherwise share it.
    /// </summary>
    public bool DefaultNamespace { get; init; }

    /// <summary>
    /// The start of the hint name of every generated file: the namespace, or when several specs
    /// share one namespace, the namespace and the spec's file name (so that no hint is added twice).
    /// </summary>
    public string? HintPrefix { get; init; }

    /// <summary>The files this spec's <c>$ref</c>s name (full paths, found by a scan of the text), the files they name in turn not included.</summary>
    public EquatableArray<string> References { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// The AdditionalFiles the spec refers to, directly or through each other (a multi-file spec:
    /// <c>$ref: Pet.json</c>), with their text: only these, so that editing any other file leaves
    /// this spec cached.
    /// </summary>
    public EquatableArray<SpecFile> OtherFiles { get; init; } = EquatableArray<SpecFile>.Empty;

    /// <summary>What the project's framework has that mapping depends on; set just before Parse.</summary>
    public TargetFeatures Target { get; init; } = TargetFeatures.Modern;

    /// <summary>
    /// The input of the Parse step: this without the settings that are applied after it, so that
    /// changing only a setting leaves the parse cached.
    /// </summary>
    public SpecInput ForParse() => this with { Settings = SpecSettings.Default, HintPrefix = null };

    /// <summary>What the Settings step applies to this spec's model.</summary>
    public SpecConfiguration Configuration => new(Path, Settings, HintPrefix);

    /// <summary>The text of another file of the spec by its full path, or null when it is not an AdditionalFiles item.</summary>
    public string? ReadOtherFile(string path)
    {
        foreach (SpecFile file in OtherFiles)
        {
            if (SpecFile.SamePath(file.Path, path))
            {
                return file.Text;
            }
        }

        return null;
    }
}

/// <summary>The settings of one spec, by its path, as the Settings step applies them after Parse.</summary>
/// <param name="HintPrefix">See <see cref="SpecInput.HintPrefix"/>.</param>
internal sealed record SpecConfiguration(string Path, SpecSettings Settings, string? HintPrefix);

/// <summary>An AdditionalFiles item with a spec's extension (a spec or a file a spec refers to) and its text.</summary>
internal sealed record SpecFile(string Path, string Text)
{
    /// <summary>Paths as MSBuild and the <c>$ref</c>s spell them: either separator, any case (Windows and macOS file systems ignore it).</summary>
    public static bool SamePath(string left, string right) =>
        string.Equals(left.Replace('\\', '/'), right.Replace('\\', '/'), System.StringComparison.OrdinalIgnoreCase);
}

/// <summary>How the operations are spread over classes: all on the client, or one class per tag.</summary>
internal enum ClientGrouping
{
    Single,
    Tags,
}

/// <summary>Which schemas become types: every one, or only those the generated operations reach.</summary>
internal enum ModelSelection
{
    All,
    Used,
}

/// <summary>
/// The settings of one spec after they were read from its AdditionalFiles metadata and the
/// project's properties. <see cref="Problems"/> are settings that could not be understood;
/// they are reported, and ignored.
/// </summary>
/// <param name="Include">Patterns (<c>tag:</c>, <c>op:</c>, <c>path:</c>) of the operations to generate; empty for all.</param>
/// <param name="Exclude">Patterns of the operations to leave out.</param>
/// <param name="Internal">Whether every generated type is <c>internal</c> rather than <c>public</c>.</param>
internal sealed record SpecSettings(
    ClientGrouping Grouping,
    EquatableArray<string> Include,
    EquatableArray<string> Exclude,
    ModelSelection Models,
    bool Internal,
    EquatableArray<string> Problems)
{
    public static readonly SpecSettings Default = new(ClientGrouping.Single, EquatableArray<string>.Empty, EquatableArray<string>.Empty, ModelSelection.All, false, EquatableArray<string>.Empty);

    public string Visibility => Internal ? "internal" : "public";
}
