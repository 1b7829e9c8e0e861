using System;

namespace Specgen.Runtime;

internal static class HeaderGuard
{
    // A CR or LF in a header value would let a caller-supplied string start a new header line
    // (header injection); HttpClient's unvalidated paths do not stop it, so we do.
    public static void EnsureNoLineBreaks(string? value, string name)
    {
        if (value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"The value of '{name}' contains a line break, which is not allowed in an HTTP header.", name);
        }
    }
}
