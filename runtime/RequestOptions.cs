using System.Collections.Generic;

namespace Specgen.Runtime;

/// <summary>Settings for a single call, layered over <see cref="ApiClientOptions"/>.</summary>
public sealed class RequestOptions
{
    /// <summary>Headers added to this request only; they replace client-wide headers of the same name.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters appended to this request only, after the operation's own.</summary>
    public IList<KeyValuePair<string, string>> QueryParameters { get; } = new List<KeyValuePair<string, string>>();
}
