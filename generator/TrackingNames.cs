namespace Specgen.Generator;

/// <summary>The names of the pipeline steps, so that tests can assert how each one was cached.</summary>
internal static class TrackingNames
{
    public const string SpecInput = nameof(SpecInput);
    public const string InProject = nameof(InProject);
    public const string ParseInput = nameof(ParseInput);
    public const string Prose = nameof(Prose);
    public const string Parse = nameof(Parse);
    public const string Documented = nameof(Documented);
    public const string Settings = nameof(Settings);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Types = nameof(Types);
    public const string Clients = nameof(Clients);
    public const string Groups = nameof(Groups);
    public const string Resolvers = nameof(Resolvers);
}
