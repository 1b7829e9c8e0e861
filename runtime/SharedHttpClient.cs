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
#if NET
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
#else
        // The platform's handler: .NET Framework's HttpWebRequest, or SocketsHttpHandler when a
        // .NET Standard library runs on .NET Core.
        HttpMessageHandler handler = new HttpClientHandler();
#endif
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
