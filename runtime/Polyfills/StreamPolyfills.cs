using System;
using System.Buffers;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>netstandard2.0 only: the span and memory members of <see cref="Stream"/> that .NET Core added.</summary>
/// <remarks>
/// Memory over an array (every buffer this library reads into) goes straight to the array
/// overload; anything else is read through a rented array and copied.
/// </remarks>
internal static class StreamPolyfills
{
    extension(Stream stream)
    {
        public int Read(Span<byte> buffer)
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                int read = stream.Read(rented, 0, buffer.Length);
                rented.AsSpan(0, read).CopyTo(buffer);
                return read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            {
                return new ValueTask<int>(stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken));
            }

            return ReadPooledAsync(stream, buffer, cancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            if (stream is IAsyncDisposable asyncDisposable)
            {
                return asyncDisposable.DisposeAsync();
            }

            stream.Dispose();
            return default;
        }
    }

    private static async ValueTask<int> ReadPooledAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read = await stream.ReadAsync(rented, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            rented.AsSpan(0, read).CopyTo(buffer.Span);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
