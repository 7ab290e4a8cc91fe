#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The costly checks of one style factor — its rank correlation with the previous trading day and its robust
/// outliers — as a pure computation on the column's values, so two columns can run on two cores.
struct ExposureWork {
    let name: String
    let labels: Labels
    let values: [Double]
    let figures: ColumnFigures
    /// The previous trading day's column and the row pairs, when the files can be joined.
    let before: [Double]?
    let partner: [Int32]?
    let standardised: Bool
    let sigma: Double

    struct Result {
        var rankCorrelation: Double?
        var outliers: RobustOutliers?
    }

    func run() -> Result {
        guard before != nil || standardised else { return Result() }
        // The column's finite values in order, once, for its ranks, median and MAD, each carrying the stock's
        // value on the previous trading day.
        let other = before.flatMap { before in partner.map { aligned(before, partner: $0) } }
        let ordered = values.withUnsafeBufferPointer { x in
            other.map { other in other.withUnsafeBufferPointer { OrderedValues(x, payload: $0) } } ?? OrderedValues(x)
        }
        var result = Result()
        if other != nil { result.rankCorrelation = spearman(ordered) }
        if standardised { result.outliers = RobustOutliers(values, ordered: ordered, sigma: sigma) }
        return result
    }
}

/// Runs every piece of work, the second half on another thread (the machine's second core) and the first on
/// this one; sequentially when no thread can be started.
func runInParallel(_ work: [ExposureWork]) -> [ExposureWork.Result] {
    guard work.count > 1 else { return work.map { $0.run() } }
    let split = (work.count + 1) / 2
    let other = WorkThread(Array(work[split...]))
    let started = other.start()
    var results = work[..<split].map { $0.run() }
    results += started ? other.join() : other.runHere()
    return results
}

/// Work handed to a thread of its own, and its results once joined.
private final class WorkThread: @unchecked Sendable {
    private let work: [ExposureWork]
    private var results: [ExposureWork.Result] = []
    private var thread = pthread_t()

    init(_ work: [ExposureWork]) { self.work = work }

    func runHere() -> [ExposureWork.Result] { work.map { $0.run() } }

    func start() -> Bool {
        let box = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(&thread, nil, { raw in
            let owner = Unmanaged<WorkThread>.fromOpaque(raw!).takeRetainedValue()
            owner.results = owner.runHere()
            return nil
        }, box)
        if started != 0 { Unmanaged<WorkThread>.fromOpaque(box).release() }
        return started == 0
    }

    /// Waits for the thread; its writes to `results` happen before `pthread_join` returns.
    func join() -> [ExposureWork.Result] {
        pthread_join(thread, nil)
        return results
    }
}
