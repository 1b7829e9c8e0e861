using System;
using System.Net.Http;
using System.Threading;

namespace Specgen.Runtime;

/// <summary>The process-wide <see cref="HttpClient"/> a pipeline sends with when it is given none.</summary>
internal static class SharedHttpClient
{
    private static readonly Lazy<HttpClient> Client = new(Create);

    public static HttpClient Instance => Client.Value;

    private static HttpClient Create()
    {
        // Recycled connections follow DNS changes; the infinite Timeout leaves the limit to ours.
        HttpMessageHandler handler = SocketsHttpHandler.IsSupported
            ? new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(15),

                // A response left unread (an event stream the caller stopped reading, an error body
                // past our cap) closes its connection at once. Draining it instead would keep the
                // server producing events for seconds after the caller left the loop.
                MaxResponseDrainSize = 0,
            }
            : new HttpClientHandler();
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
