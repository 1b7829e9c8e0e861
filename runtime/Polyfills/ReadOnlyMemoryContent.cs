using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace System.Net.Http;

/// <summary>netstandard2.0 only: .NET Core's content over a <see cref="ReadOnlyMemory{T}"/>, without a copy when it is an array's.</summary>
internal sealed class ReadOnlyMemoryContent(ReadOnlyMemory<byte> content) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
            ? stream.WriteAsync(segment.Array!, segment.Offset, segment.Count)
            : stream.WriteAsync(content.ToArray(), 0, content.Length);

    protected override bool TryComputeLength(out long length)
    {
        length = content.Length;
        return true;
    }
}
