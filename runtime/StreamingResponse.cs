using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// A success response whose body is still arriving: status, headers and request id, and the open
/// <see cref="Body"/> to read as it comes (from <see cref="ApiPipeline.SendStreamingAsync"/>).
/// </summary>
/// <remarks>
/// No time limit applies to the body (the per-try timeout ended when the headers arrived); bound
/// reads with the cancellation token passed to them. Dispose the response to close the stream and
/// release the connection.
/// </remarks>
public sealed class StreamingResponse : ApiResponse, IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage _response;

    internal StreamingResponse(HttpResponseMessage response, IReadOnlyDictionary<string, string> headers, Stream body)
        : base(response.StatusCode, headers)
    {
        _response = response;
        Body = body;
    }

    /// <summary>
    /// The response body, readable once, front to back. A connection that breaks off mid-body makes a
    /// read throw <see cref="ApiConnectionException"/> (the transport's exception inside).
    /// </summary>
    public Stream Body { get; }

    /// <summary>Closes the body and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    /// <summary>Closes the body and releases the connection.</summary>
    public void Dispose()
    {
        Body.Dispose();
        _response.Dispose();
    }
}

/// <summary>A read-only view of a response body that reports a broken-off connection as <see cref="ApiConnectionException"/>.</summary>
internal sealed class ConnectionGuardStream(Stream inner, ApiRequest request, int attempts) : Stream
{
    private long _bytesRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

#if NET
    public override int Read(Span<byte> buffer)
#else
    // netstandard2.0's Stream has no span overloads to override; the array ones above call these.
    public int Read(Span<byte> buffer)
#endif
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BrokenOff(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

#if NET
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
#else
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
#endif
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BrokenOff(ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

#if NET
    public override ValueTask DisposeAsync() => inner.DisposeAsync();
#endif

    private int Count(int read)
    {
        _bytesRead += read;
        return read;
    }

    private ApiConnectionException BrokenOff(Exception ex)
    {
        Exception innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return new ApiConnectionException(request.OperationId, request.Method.Method, request.Path, attempts,
            "the response stream broke off after " + _bytesRead.ToString(CultureInfo.InvariantCulture) + " bytes (" + innermost.Message + ")", ex);
    }
}
