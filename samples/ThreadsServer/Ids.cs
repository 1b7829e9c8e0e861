using System.Security.Cryptography;

namespace ThreadsServer;

/// <summary>Random identifiers in the real API's formats.</summary>
internal static class Ids
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>An object id: the prefix (<c>thread_</c>, <c>msg_</c>, <c>vs_</c>) and 24 random alphanumerics.</summary>
    public static string New(string prefix) =>
        prefix + new string(RandomNumberGenerator.GetItems<char>(Alphanumerics, 24));

    /// <summary>A value for the <c>x-request-id</c> response header: <c>req_</c> and 32 random hex digits.</summary>
    public static string NewRequestId() => "req_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
