using System;
using System.Collections.Generic;

namespace Specgen.Runtime;

/// <summary>
/// Settings shared by every request a generated client sends: where to send them, how to
/// authenticate and which headers to add.
/// </summary>
/// <remarks>
/// The API key is kept out of <see cref="object.ToString"/> and every exception message; it only
/// ever travels in the <c>Authorization</c> header.
/// </remarks>
public sealed class ApiClientOptions
{
    private string? _apiKey;

    /// <summary>
    /// The address requests are sent to, for example <c>https://api.openai.com/v1</c>. Operation
    /// paths are appended to it. When <see langword="null"/>, the first server of the spec is used.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The key sent as <c>Authorization: Bearer &lt;key&gt;</c>; no header when <see langword="null"/>.</summary>
    /// <exception cref="ArgumentException">The key contains a carriage return or line feed.</exception>
    public string? ApiKey
    {
        get => _apiKey;
        set
        {
            HeaderGuard.EnsureNoLineBreaks(value, nameof(ApiKey));
            _apiKey = value;
        }
    }

    /// <summary>
    /// Headers added to every request, such as <c>OpenAI-Beta: assistants=v2</c>. Names compare
    /// case-insensitively; a per-request header of the same name wins.
    /// </summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns a description that names the base address but never the API key.</summary>
    public override string ToString() =>
        $"ApiClientOptions {{ BaseAddress = {BaseAddress?.ToString() ?? "(spec default)"}, ApiKey = {(_apiKey is null ? "(none)" : "(set)")} }}";
}
