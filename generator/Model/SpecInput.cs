namespace Specgen.Generator.Model;

/// <summary>
/// One spec file and the settings that apply to it: strings only, so that the step after it
/// re-runs only when the text or a setting really changed.
/// </summary>
internal sealed record SpecInput(string Path, string Text, string Namespace, string ClientName);
