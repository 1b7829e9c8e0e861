using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>Reads one value of <typeparamref name="T"/> from a reader positioned on its first token.</summary>
/// <remarks>Generated converters expose a static method of this shape for every model.</remarks>
public delegate T JsonValueReader<T>(ref Utf8JsonReader reader);
