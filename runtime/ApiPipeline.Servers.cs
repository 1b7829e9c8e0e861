using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

// Where a request goes: the base address, or an operation's own server (or its redirection).
public sealed partial class ApiPipeline
{
    // The servers of operations that have their own, as the spec writes them (no trailing slash):
    // the caller's redirections, and the resolved addresses as they are first used.
    private readonly Dictionary<string, Uri> _serverRedirects;
    private readonly ConcurrentDictionary<string, ServerAddress> _servers = new(StringComparer.OrdinalIgnoreCase);

    // Plain http is refused outside the local machine unless allowed: every credential and request
    // would cross the network readable by anyone on the way.
    private string? InsecureProblem(Uri address, string what) =>
        address.Scheme == Uri.UriSchemeHttp && !address.IsLoopback && !_allowInsecureHttp
            ? $"The {what} '{ApiClientOptions.SafeAddress(address)}' uses plain http, which would send the credentials and every request unencrypted. "
                + "Use https, or set ApiClientOptions.AllowInsecureHttp = true if the network in between is trusted."
            : null;

    // Where a request goes: the base address, or for an operation with a server of its own, that
    // server or the caller's redirection of it. Resolved once per server.
    private ServerAddress ServerOf(ApiRequest request)
    {
        if (request.Server is not { } server)
        {
            return _defaultServer;
        }

        return _servers.TryGetValue(server, out ServerAddress? known) ? known : _servers.GetOrAdd(server, ResolveServer);
    }

    private ServerAddress ResolveServer(string server)
    {
        string key = server.TrimEnd('/');
        if (!_serverRedirects.TryGetValue(key, out Uri? address))
        {
            if (!Uri.TryCreate(key, UriKind.Absolute, out address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException(
                    $"The operation's server '{server}' is not an absolute http or https address; give one for it in ApiClientOptions.ServerAddresses.");
            }
        }

        if (InsecureProblem(address, $"server '{server}'") is { } problem)
        {
            throw new InvalidOperationException(problem + " Or redirect the server with ApiClientOptions.ServerAddresses.");
        }

        return new ServerAddress(address.AbsoluteUri.TrimEnd('/'), address);
    }
    // A server as the pipeline sends to it: the URL root the path is appended to, and the address
    // for telemetry. A class, made once per server, so that each call carries one reference.
    private sealed record ServerAddress(string Root, Uri Uri);
}
