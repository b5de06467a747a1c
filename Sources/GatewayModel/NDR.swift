extension NDRReason {
    /// Free-text fallback for couriers whose status table gives no reason (or a vague one).
    ///
    /// The remark is lower-cased, punctuation becomes spaces, and whole-word phrases are looked
    /// up in this order, first match wins:
    /// 1. cash on delivery not ready ("COD amount not ready", "cash not available"): checked
    ///    first because its phrases contain the generic "not available";
    /// 2. known non-customer causes -> other ("out of delivery area", "ODA", "entry restricted",
    ///    heavy rain, strike, misroute), so they are not mistaken for the customer's fault;
    /// 3. incomplete address, 4. wrong address, 5. refused, 6. customer unavailable
    ///    (including "door locked", "CNA", "not reachable", "future delivery" requests);
    /// otherwise `.other`. Includes common Hinglish remarks ("ghar band", "paise nahi").
    public static func classify(remark: String) -> NDRReason {
        let text = NDRText.normalize(remark)
        if text.trimmingASCIIWhitespace().isEmpty { return .other }
        for (reason, phrases) in NDRText.paddedRules where phrases.contains(where: { text.containsUTF8($0) }) {
            return reason
        }
        return .other
    }
}

enum NDRText {
    /// Lower-case ASCII words separated by single spaces, padded with one space on each side
    /// so " phrase " matches whole words only ("cna" must not match inside "scanned").
    static func normalize(_ s: String) -> String {
        var out = " "
        var lastSpace = true
        for scalar in s.prefix(1000).unicodeScalars {
            let v = scalar.value
            let isAlnum = (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            if isAlnum {
                out.unicodeScalars.append(v >= 65 && v <= 90 ? Unicode.Scalar(v + 32) ?? scalar : scalar)
                lastSpace = false
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue  // "doesn't" -> "doesnt"
            } else if !lastSpace {
                out += " "
                lastSpace = true
            }
        }
        if !lastSpace { out += " " }
        return out
    }

    /// `rules` with each phrase padded by a space on both sides, as `normalize` pads words.
    static let paddedRules: [(NDRReason, [String])] = rules.map { ($0.0, $0.1.map { " \($0) " }) }

    static let rules: [(NDRReason, [String])] = [
        (.codNotReady, [
            "cod amount not ready", "cod not ready", "cod amount not available", "cod not available",
            "cash not ready", "cash not available", "cash not arranged", "no cash", "insufficient cash",
            "amount not ready", "money not ready", "money not available", "payment not ready",
            "does not have cash", "doesnt have cash", "not having cash", "cash issue", "paise nahi",
        ]),
        (.other, [
            "out of delivery area", "oda", "non serviceable", "not serviceable", "pincode not serviceable",
            "entry restricted", "entry not allowed", "restricted entry", "security did not allow",
            "heavy rain", "natural calamity", "flood", "strike", "curfew", "misroute", "misrouted",
            "shipment damaged", "vehicle breakdown",
        ]),
        (.incompleteAddress, [
            "incomplete address", "address incomplete", "address is incomplete", "insufficient address",
            "address insufficient", "address not complete", "partial address", "incomplete addr",
            "house number missing", "missing house number", "flat number missing", "landmark missing",
            "landmark required", "address details missing", "address not available",
        ]),
        (.wrongAddress, [
            "wrong address", "address wrong", "address is wrong", "incorrect address", "address incorrect",
            "address is incorrect", "invalid address", "address not found", "address not traceable",
            "address untraceable", "untraceable", "address not locatable", "unable to locate address",
            "consignee shifted", "customer shifted", "shifted", "no such consignee", "no such person",
            "consignee moved", "wrong pincode", "incorrect pincode", "wrong pin code", "address mismatch",
            "galat address", "address galat",
        ]),
        (.refused, [
            "refused", "refuse", "refusal", "refuses", "rejected", "reject", "denied", "did not accept",
            "not accepting", "does not want", "doesnt want", "not interested", "did not order",
            "didnt order", "not ordered", "cancelled by customer", "customer cancelled",
            "customer wants to cancel", "order cancelled by customer", "mana kar diya", "mana kiya",
        ]),
        (.customerUnavailable, [
            "customer not available", "consignee not available", "customer unavailable",
            "consignee unavailable", "not available", "unavailable", "cna", "door locked",
            "house locked", "premises locked", "premises closed", "office closed", "shop closed",
            "not reachable", "unreachable", "not contactable", "not responding", "no response",
            "switched off", "not answering", "call not answered", "not picking", "not at home",
            "nobody at home", "no one at home", "out of station", "future delivery",
            "reschedule", "rescheduled", "requested delay", "ghar band", "ghar par nahi",
        ]),
    ]
}

extension NDRPriority {
    /// COD at or above this is worth a call even on the first attempt.
    public static let highValueCOD = Money(2000)

    /// Priority rule (ADR material), first match wins:
    /// - urgent: 3 or more attempts (most couriers auto-RTO after the third);
    /// - high: the second attempt, or COD of 2000.00 or more;
    /// - medium: any other COD shipment (cash at risk, no prepaid money to refund);
    /// - low: prepaid, first attempt.
    public static func compute(attemptCount: Int, codAmount: Money?) -> NDRPriority {
        if attemptCount >= 3 { return .urgent }
        let cod = codAmount ?? .zero
        if attemptCount == 2 || cod >= highValueCOD { return .high }
        if cod > .zero { return .medium }
        return .low
    }
}
