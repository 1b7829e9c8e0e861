using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Conformance.Tests.Sweep;
using Specgen.Generator.Tests;

namespace Specgen.Conformance.Tests;

/// <summary>
/// The sweep of the whole corpus, made once per test run and shared by the tests. Two documents
/// are swept at a time (two Prisms, one compiling while the other serves), the largest first so
/// that the two lanes end together; a test that asks for a document still waiting moves it to the
/// front.
/// </summary>
public sealed class SweepRun : IAsyncLifetime
{
    private const int Lanes = 2;

    // Stops the lanes when the tests are done before the sweep is (a filtered run): every Prism is stopped with them.
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _lanes = new();
    private readonly System.Diagnostics.Stopwatch _clock = new();

    private readonly object _gate = new();
    private readonly List<CorpusDocument> _waiting = new();
    private readonly Dictionary<string, TaskCompletionSource<DocumentResult>> _results =
        CorpusDocuments.All.ToDictionary(d => d.Name, _ => new TaskCompletionSource<DocumentResult>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);

    private bool _started;

    internal Task<DocumentResult> Of(string name)
    {
        lock (_gate)
        {
            // The lanes wait for this lock before they take a document, so the move comes first.
            StartOnce();
            int index = _waiting.FindIndex(d => d.Name == name);
            if (index > 0)
            {
                CorpusDocument document = _waiting[index];
                _waiting.RemoveAt(index);
                _waiting.Insert(0, document);
            }

            return _results[name].Task;
        }
    }

    /// <summary>From the start of the sweep until its last document was done (or until now).</summary>
    internal TimeSpan Elapsed => _clock.Elapsed;

    internal async Task<IReadOnlyList<DocumentResult>> AllAsync()
    {
        lock (_gate)
        {
            StartOnce();
        }

        // In the corpus' order, whatever order they finished in.
        DocumentResult[] all = await Task.WhenAll(CorpusDocuments.All.Select(d => _results[d.Name].Task));
        _clock.Stop();
        return all;
    }

    private void StartOnce()
    {
        if (_started)
        {
            return;
        }

        // Measured when the sweep starts, not when the fixture is made: without ../shared the tests are skipped and nothing is read.
        _started = true;
        _clock.Start();
        _waiting.AddRange(CorpusDocuments.All.OrderByDescending(SizeOf));
        for (int lane = 0; lane < Lanes; lane++)
        {
            _lanes.Add(Task.Run(SweepWaitingAsync));
        }
    }

    private async Task SweepWaitingAsync()
    {
        while (true)
        {
            CorpusDocument document;
            lock (_gate)
            {
                if (_waiting.Count == 0 || _stop.IsCancellationRequested)
                {
                    return;
                }

                document = _waiting[0];
                _waiting.RemoveAt(0);
            }

            try
            {
                _results[document.Name].SetResult(await DocumentSweep.RunAsync(document, _stop.Token));
            }
            catch (Exception ex)
            {
                _results[document.Name].SetException(ex);
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        Task[] lanes;
        lock (_gate)
        {
            lanes = _lanes.ToArray();
        }

        await Task.WhenAll(lanes);
        _stop.Dispose();
    }

    private static long SizeOf(CorpusDocument document) => document.Files.Sum(f => new FileInfo(document.FullPath(f)).Length);
}
