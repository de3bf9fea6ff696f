# Homeward के संदेश, हिन्दी। यहाँ का हर संदेश en.ftl में भी है (एक टेस्ट जाँचता है)।

report-title = बाल कल्याण समिति के लिए मासिक प्रगति रिपोर्ट
report-district-month = ज़िला { $district }, { $month }
report-prepared = Homeward द्वारा { $date } को तैयार।
report-in-progress = महीना अभी पूरा नहीं हुआ: आँकड़े { $date } तक के हैं।
report-confidential = गोपनीय: इस रिपोर्ट में बाल कल्याण समिति की देखरेख में बच्चों के नाम हैं; यह बाल संरक्षण व्यवस्था से बाहर नहीं जानी चाहिए (किशोर न्याय अधिनियम, धारा 74)।
report-summary = सारांश
report-children = बच्चे
report-none = कोई नहीं
report-no-children = इस महीने इस ज़िले में किसी बच्चे का फ़ॉलो-अप नहीं हुआ।

agg-children-followed = फ़ॉलो-अप किए गए बच्चे
agg-visits-made = की गई मुलाक़ातें (फ़ोन सहित)
agg-visits-missed = बच्चे जिनकी मुलाक़ात महीने के अंत में समय से पीछे थी
agg-school = 6 से 14 वर्ष के बच्चे जो स्कूल या ब्रिज कार्यक्रम में हैं
agg-new-entitlement = नई सरकारी योजना से जुड़े बच्चे (स्वास्थ्य बीमा छोड़कर)
agg-new-health-insurance = स्वास्थ्य बीमा से जुड़े बच्चे
agg-comp-applied = मुआवज़े के लिए किए गए आवेदन
agg-comp-sanctioned = स्वीकृत मुआवज़ा दावे
agg-comp-paid = भुगतान किए गए मुआवज़ा दावे
agg-comp-pending = महीने के अंत में लंबित मुआवज़ा दावे
agg-comp-median = लंबित मुआवज़ा दावे: आधे दावे आवेदन के बाद इतने या इससे ज़्यादा दिनों से रुके हैं
agg-livelihood = आजीविका सहायता या कौशल प्रशिक्षण से जुड़े बच्चे
agg-harassment = उत्पीड़न की घटनाएँ
agg-missing = लापता या फिर से तस्करी के शिकार बच्चे
agg-stabilised = बच्चे जिनकी सभी ज़रूरतें इस महीने पूरी हो गईं
agg-closed = बंद किए गए मामले

col-case = मामला
col-child = बच्चा
col-block = प्रखंड
col-village = गाँव
col-risk = जोखिम
col-state = मामले की स्थिति
col-visits = इस महीने की मुलाक़ातें
col-dimension = ज़रूरत
col-start = महीने की शुरुआत में
col-end = महीने के अंत में
col-changes = इस महीने के बदलाव
col-pending-since = कब से लंबित
col-next-steps = अगले कदम
col-agreed-steps = पिछली मुलाक़ात में तय हुआ
col-open-claims = इंतज़ार में दावे (आवेदन हुआ, भुगतान नहीं)
col-stage = दावे की स्थिति
col-applied-on = आवेदन की तारीख़
col-days-pending = कितने दिन से इंतज़ार
col-why-stuck = क्यों अटका है
col-this-month = इस महीने
fact-visit = { $by } द्वारा { $kind }
fact-summons = अदालत का समन मिला; सुनवाई { $hearing } को
fact-hearing = सुनवाई: { $outcome }
fact-hearing-next = सुनवाई: { $outcome }; अगली सुनवाई { $next } को
fact-incident = उत्पीड़न: { $what }
fact-incident-police = उत्पीड़न: { $what } (पुलिस को सूचना दी गई)
fact-document = { $document }: { $state }
fact-claim = { $scheme }: { $stage }
fact-claim-amount = { $scheme }: { $stage } (₹{ $amount })

dim-education = शिक्षा
dim-compensation = मुआवज़ा
dim-entitlements = पारिवारिक योजनाएँ
dim-livelihood = आजीविका
dim-legal = कानूनी मामला
dim-health = स्वास्थ्य
dim-documents = दस्तावेज़

status-not_assessed = आकलन नहीं हुआ
status-not_applicable = लागू नहीं
status-dropped_out = पढ़ाई छोड़ दी
status-not_enrolled = नामांकन नहीं
status-enrolled_irregular = नामांकित, अनियमित
status-enrolled = नामांकित
status-not_applied = आवेदन नहीं
status-applied = आवेदन किया
status-sanctioned = स्वीकृत
status-paid = भुगतान हुआ
status-not_eligible = पात्र नहीं
status-not_linked = नहीं जुड़े
status-partly_linked = आंशिक रूप से जुड़े
status-linked = जुड़े हुए
status-needs_support = सहायता चाहिए
status-in_training = प्रशिक्षण में
status-under_threat = ख़तरे में
status-testimony_due = गवाही बाकी
status-case_pending = मामला लंबित
status-concluded = समाप्त
status-needs_care = देखभाल चाहिए
status-under_treatment = इलाज जारी
status-counselling = परामर्श जारी
status-well = स्वस्थ
status-missing = नहीं हैं
status-partial = आंशिक
status-complete = पूरे

risk-high = उच्च
risk-medium = मध्यम
risk-stable = स्थिर

state-active = सक्रिय
state-closed = बंद
state-transferred = स्थानांतरित
state-missing = लापता
state-retrafficked = फिर से तस्करी

prompt-court_summons = अदालत का समन: परिवार से मिलें
prompt-harassment = उत्पीड़न: बच्चे की सुरक्षा देखें
prompt-prepare_hearing = सुनवाई की तैयारी करें
prompt-hearing_outcome = सुनवाई में क्या हुआ, दर्ज करें
prompt-initial_assessment = प्रारंभिक आकलन करें
prompt-school_enrolment = स्कूल में नामांकन कराएँ
prompt-escalate_claim = अटका दावा वरिष्ठ अधिकारी तक ले जाएँ
prompt-follow_up_claim = दावे का फ़ॉलो-अप करें
prompt-apply_for_scheme = योजना के लिए आवेदन करें
prompt-obtain_document = ज़रूरी दस्तावेज़ प्राप्त करें
prompt-health_care = इलाज की व्यवस्था करें
prompt-livelihood_support = आजीविका सहायता ढूँढें
prompt-visit_overdue = मुलाक़ात में देरी
prompt-visit_due = मुलाक़ात का समय
prompt-due = { $date } तक
prompt-was-due = { $date } से बाकी

# Why a prompt is shown (prompt::Why, worded by Catalogue::reason).
why-court_summons = { $received } को अदालत का समन मिला, सुनवाई { $hearing } को है: 24 घंटे के भीतर परिवार से मिलें, आरोपी पक्ष के पहुँचने से पहले; वकील के लिए परिवार की अनुमति और वीडियो से गवाही की व्यवस्था करें।
why-prepare_hearing = सुनवाई { $hearing } को है: { $steps }।
why-step-lawyer = वकील के लिए परिवार की अनुमति लें
why-step-video = वीडियो से गवाही की व्यवस्था करें, ताकि बच्चे को यात्रा न करनी पड़े
why-hearing_outcome = { $hearing } की सुनवाई की तारीख निकल गई है: दर्ज करें कि क्या हुआ (गवाही हुई, अगली तारीख मिली, या परिवार क्यों नहीं पहुँच सका)।
why-harassment = { $date } को उत्पीड़न की घटना: परिवार से मिलें, बच्चे की सुरक्षा और गवाह सुरक्षा की जाँच करें।
why-harassment-no-police = पुलिस को अभी तक सूचना नहीं दी गई है।
why-initial_assessment = { $returned } को घर वापसी: { $due } तक ज़रूरतों का प्रारंभिक आकलन करें।
why-school-dropped_out = उम्र { $age } वर्ष, बच्चे ने स्कूल छोड़ दिया है: फिर से स्कूल या ब्रिज कार्यक्रम में नामांकन कराएँ।
why-school-not_enrolled = उम्र { $age } वर्ष, बच्चे का स्कूल में नामांकन नहीं है: स्कूल या ब्रिज कार्यक्रम में नामांकन कराएँ।
why-school-unknown = उम्र { $age } वर्ष, बच्चा स्कूल जाता है या नहीं, पता नहीं: पता करें और स्कूल या ब्रिज कार्यक्रम में नामांकन कराएँ।
why-health_care = बच्चे को इलाज की ज़रूरत है: स्वास्थ्य केंद्र ले जाएँ या इलाज या परामर्श की व्यवस्था करें, और दर्ज करें।
why-livelihood_support = परिवार को आजीविका सहायता चाहिए: किसी आजीविका योजना, कौशल प्रशिक्षण या प्रखंड के किसी संस्थान से जोड़ें।
why-apply_for_scheme = { $scheme } के लिए ज़रूरी दस्तावेज़ हाथ में हैं: आवेदन जमा करें।
why-obtain_document = { $document } नहीं है; इसके बिना ये रुके हैं: { $schemes }।
why-claim-sanction = { $scheme }: { $since } को आवेदन दिया, { $days } दिन से ज़्यादा हो गए, स्वीकृति नहीं मिली।
why-claim-payment = { $scheme }: { $since } को स्वीकृत, { $days } दिन से ज़्यादा हो गए, भुगतान नहीं हुआ।
why-claim-follow-up = दफ़्तर जाकर पता करें।
why-claim-escalate = वरिष्ठ अधिकारियों के सामने मामला उठाएँ।
why-claim-stuck = अटका है: { $why }।
why-visit-overdue = मुलाक़ात { $due } से बाकी है (पिछली मुलाक़ात { $last }, इस जोखिम स्तर पर हर { $days } दिन में)।
why-visit-due = अगली मुलाक़ात { $due } को (पिछली मुलाक़ात { $last }, हर { $days } दिन में)।

doc-fir = पुलिस रिपोर्ट (एफ़आईआर)
doc-counselling_report = परामर्श रिपोर्ट
doc-medical_report = मेडिकल रिपोर्ट
doc-release_certificate = रिहाई प्रमाणपत्र
doc-legal_statement = कानूनी बयान
doc-bank_account = बच्चे के नाम बैंक खाता
doc-identity_card = पहचान पत्र
doc-care_plan = व्यक्तिगत देखभाल योजना
doc-fit_to_travel = यात्रा के लिए स्वस्थ होने का प्रमाणपत्र
doc-learning_report = सीखने के स्तर का रिपोर्ट कार्ड

col-district = ज़िला
col-scheme = योजना
col-waiting = किसका इंतज़ार
col-total = कुल
gaps-days = आवेदन से { $range } दिन
waiting-sanction = स्वीकृति
waiting-payment = भुगतान

month-1 = जनवरी
month-2 = फ़रवरी
month-3 = मार्च
month-4 = अप्रैल
month-5 = मई
month-6 = जून
month-7 = जुलाई
month-8 = अगस्त
month-9 = सितंबर
month-10 = अक्टूबर
month-11 = नवंबर
month-12 = दिसंबर

# फ़ील्ड ऐप की स्क्रीनें (app/ui)।
ui-nav = मुख्य स्क्रीनें
ui-back = वापस
ui-tab-today = आज
ui-tab-cases = बच्चे
ui-tab-sync = सिंक
ui-tab-settings = सेटिंग
ui-tab-spot-checks = जाँच
ui-tab-register = पंजीकरण

ui-unlock-title = Homeward खोलें
ui-unlock = खोलें
ui-unlock-hint = इस फ़ोन पर बच्चों के रिकॉर्ड एन्क्रिप्टेड हैं। पिन के बिना कोई उन्हें नहीं पढ़ सकता; भूला हुआ पिन यहाँ वापस नहीं मिलता: नए पंजीकृत फ़ोन पर सिंक करने से रिकॉर्ड वापस आते हैं।
ui-pin = पिन
ui-pin-new = नया पिन
ui-pin-again = नया पिन दोबारा
ui-pin-old = अभी का पिन
ui-pin-hint = कम से कम 4 अंक। किसी को न बताएँ। भूला हुआ पिन कोई वापस नहीं ला सकता।
ui-pin-change = पिन बदलें
ui-pin-changed = पिन बदल गया।

ui-enrol-title = यह फ़ोन तैयार करें
ui-enrol-hint = आपके पर्यवेक्षक आपको एक बार चलने वाला कोड देंगे। सिर्फ़ इस कदम के लिए नेटवर्क चाहिए।
ui-server = सर्वर का पता
ui-enrol-code = पंजीकरण कोड
ui-device-name = इस फ़ोन का नाम
ui-enrol = पंजीकरण करें
ui-enrolling = पंजीकरण हो रहा है…

ui-today-title = आज
ui-count-urgent = अति आवश्यक
ui-count-overdue = समय से पीछे
ui-count-total = करने हैं
ui-today-empty = आज कुछ बाकी नहीं है। बहुत अच्छा।
ui-urgent = अति आवश्यक
ui-day-today = आज
ui-day-in = { $days ->
    [one] कल
   *[other] { $days } दिन में
}
ui-day-ago = { $days ->
    [one] कल (बीता)
   *[other] { $days } दिन पहले
}
ui-never = कभी नहीं

ui-cases-title = बच्चे
ui-register = पंजीकरण
ui-search = खोजें
ui-search-hint = नाम या गाँव
ui-any = कोई भी
ui-cases-count = { $n ->
    [one] { $n } बच्चा
   *[other] { $n } बच्चे
}
ui-last-visit = पिछली मुलाक़ात
ui-next-due = अगली मुलाक़ात
ui-conflicts = { $n ->
    [one] एक जानकारी दो फ़ोन पर अलग-अलग बदली गई; आपके पर्यवेक्षक इसे सुलझाएँगे।
   *[other] { $n } जानकारियाँ दो फ़ोन पर अलग-अलग बदली गईं; आपके पर्यवेक्षक इन्हें सुलझाएँगे।
}

ui-age = { $years } वर्ष
ui-returned-on = घर लौटने की तारीख़
ui-record-visit = मुलाक़ात दर्ज करें
ui-assess = प्रारंभिक आकलन
ui-next-steps = अगले कदम
ui-no-prompts = इस बच्चे के लिए अभी कुछ बाकी नहीं है।
ui-needs = ज़रूरतें
ui-since = { $date } से
ui-documents = दस्तावेज़
ui-doc-missing = नहीं है
ui-doc-received = मिल गया
ui-doc-verified = सत्यापित
ui-services = मुआवज़ा और योजनाएँ
ui-days-pending = { $days ->
    [one] { $days } दिन से लंबित
   *[other] { $days } दिन से लंबित
}
ui-none-yet = अभी कुछ नहीं।
ui-timeline = मुलाक़ातें

ui-visit-kind = मुलाक़ात का प्रकार
ui-visit-initial-assessment = प्रारंभिक आकलन
ui-visit-follow-up = घर पर मुलाक़ात
ui-visit-phone = फ़ोन कॉल
ui-visit-urgent = तुरंत मुलाक़ात
ui-visit-date = मुलाक़ात की तारीख़
ui-what-changed = क्या बदला?
ui-what-changed-hint = सिर्फ़ उसी ज़रूरत को छुएँ जिसकी स्थिति बदली है। बाकी को छोड़ दें।
ui-note = टिप्पणी
ui-more = और: किससे मिले, तय किए गए कदम
ui-met = किससे मिले
ui-save = सहेजें
ui-visit-saved = मुलाक़ात इस फ़ोन पर सहेज ली गई।

ui-assess-step = ज़रूरत { $n } / { $total }
ui-save-next = सहेजें और आगे
ui-skip = छोड़ें
ui-assess-later = यहीं रुकें, बाद में जारी रखें
ui-assess-saved = आकलन सहेज लिया। छोड़ी गई ज़रूरतों का आकलन बाद में हो सकता है।
ui-assess-done = { $left ->
    [0] सभी ज़रूरतों का आकलन हो गया।
   *[other] { $left } ज़रूरतों का आकलन बाकी है; उसके लिए आकलन फिर से खोलें।
}
ui-done = हो गया

ui-register-title = लौटे हुए बच्चे का पंजीकरण
ui-child = बच्चा
ui-name = नाम
ui-other-names = दूसरे नाम
ui-other-names-hint = उपनाम, अंग्रेज़ी में नाम, अल्पविराम से अलग करें
ui-sex = लिंग
ui-sex-female = लड़की
ui-sex-male = लड़का
ui-sex-other = अन्य
ui-age-years = उम्र (वर्ष)
ui-dob = या जन्म तिथि
ui-home = घर
ui-panchayat = ग्राम पंचायत
ui-caregiver = अभिभावक का नाम
ui-relation = रिश्ता
ui-phone = फ़ोन
ui-rescue = बचाव और वापसी
ui-rescue-city = कहाँ से बचाया गया (शहर)
ui-workplace = कारख़ाने का प्रकार
ui-legal-basis = इस रिकॉर्ड का क़ानूनी आधार
ui-basis-cwc = सीडब्ल्यूसी आदेश
ui-basis-consent = अभिभावक की सहमति
ui-basis-ref = आदेश संख्या
ui-basis-by = सहमति देने वाले
ui-basis-date = दिनांक
ui-registered = बच्चे का पंजीकरण हो गया।

ui-last-sync = पिछला सिंक
ui-waiting = भेजना बाकी
ui-changes = { $n ->
    [0] कुछ नहीं
    [one] { $n } बदलाव
   *[other] { $n } बदलाव
}
ui-sync-now = अभी सिंक करें
ui-syncing = सिंक हो रहा है…
ui-sync-progress = { $rounds } आदान-प्रदान
ui-sync-done = सब अद्यतन है: { $sent } बदलाव भेजे, { $received } मिले।
ui-sync-hint = नेटवर्क के बिना भी काम चलता रहता है: सब कुछ इस फ़ोन पर सहेजा जाता है और अगले सिंक में भेजा जाता है।
ui-refused-title = कुछ बदलाव स्वीकार नहीं हुए
ui-refused-text = सर्वर ने इन मामलों के बदलाव स्वीकार नहीं किए (आमतौर पर मामला अब आपको सौंपा नहीं है)। वे इस फ़ोन पर सुरक्षित हैं; अपने पर्यवेक्षक को बताएँ।
ui-revoked-title = व्यवस्थापक ने यह फ़ोन बंद कर दिया है
ui-revoked-text = इसके रिकॉर्ड इस फ़ोन से मिटा दिए गए हैं, जैसा फ़ोन खोने या सौंपने पर होता है। कुछ खोया नहीं है: रिकॉर्ड सर्वर पर हैं। जारी रखने के लिए नए कोड से फिर पंजीकरण करें।
ui-revoked-kept-title = सर्वर कहता है कि यह फ़ोन बंद कर दिया गया है
ui-revoked-kept-text = इस फ़ोन पर अभी { $changes } बदलाव और { $outcomes } स्पॉट-चेक नतीजे हैं जो कभी सर्वर तक नहीं पहुँचे, इसलिए कुछ भी मिटाया नहीं गया और यह अब सिंक नहीं करता। ज़रूरी हो तो काम जारी रखें, और फ़ोन अपने पर्यवेक्षक को दिखाएँ।
ui-server-fixed = यह फ़ोन अपने रिकॉर्ड केवल उसी सर्वर को भेजता है जिससे यह जोड़ा गया था। सर्वर बदलने पर आपके पर्यवेक्षक फ़ोन को फिर से जोड़ते हैं।
ui-continue = जारी रखें
ui-role-fieldworker = फ़ील्ड कार्यकर्ता
ui-role-supervisor = पर्यवेक्षक
ui-role-cwc = सीडब्ल्यूसी सदस्य
ui-role-admin = व्यवस्थापक

ui-language = भाषा
ui-server-hint = इसे तभी बदलें जब आपके पर्यवेक्षक कहें कि सर्वर बदल गया है।
ui-server-saved = सर्वर का पता सहेज लिया।
ui-lock-title = ताला
ui-lock = अभी ताला लगाएँ

ui-spot-checks-empty = अभी आपको कोई जाँच नहीं सौंपी गई है।
ui-spot-checks-hint = हर महीने कोर टीम कुछ दर्ज मुलाक़ातें चुनती है, पहले असामान्य वाली, जिन्हें आप परिवार से मिलकर जाँचते हैं। वे सिंक के साथ आती हैं; यहाँ जो दर्ज करेंगे वह अगले सिंक में भेजा जाएगा।
ui-spot-record = जो मिला वह दर्ज करें
ui-spot-change = दर्ज किया हुआ बदलें
ui-spot-found = आपको क्या मिला?
ui-spot-choose = चुनें कि क्या मिला।
ui-spot-note = टिप्पणी में लिखें कि क्या गड़बड़ थी, या मुलाक़ात सत्यापित क्यों नहीं हो सकी।
ui-spot-saved = इस फ़ोन पर सहेजा; अगले सिंक में भेजा जाएगा।
ui-spot-waiting = इस फ़ोन पर सहेजा, सिंक का इंतज़ार
ui-spot-refused = सर्वर ने स्वीकार नहीं किया

ui-err-bad_input = यह ऐसे सहेजा नहीं जा सकता
ui-err-wrong_pin = पिन ग़लत है। फिर कोशिश करें।
ui-err-not_initialised = यह फ़ोन अभी तैयार नहीं है।
ui-err-unknown_case = यह मामला इस फ़ोन पर नहीं है।
ui-err-network = सर्वर से संपर्क नहीं हुआ। आपका काम इस फ़ोन पर सुरक्षित है; नेटवर्क मिलने पर फिर कोशिश करें।
ui-err-refused = सर्वर ने सिंक अस्वीकार कर दिया।
ui-err-damaged = एक सहेजा हुआ मामला पढ़ा नहीं जा सका। अपने पर्यवेक्षक को बताएँ; फ़ोन रीसेट न करें।
ui-err-internal = ऐप के अंदर कोई गड़बड़ी हुई।
ui-err-locked = ऐप पर ताला है। अपना पिन डालें।
ui-err-busy = सिंक पहले से चल रहा है।
ui-err-date = सही तारीख़ डालें।
ui-err-future = यह तारीख़ भविष्य की है।
ui-err-pin-short = पिन में कम से कम 4 अंक चाहिए।
ui-err-pin-mismatch = दोनों पिन अलग हैं।
ui-err-required = ज़रूरी है
ui-err-age = उम्र (वर्ष) या जन्म तिथि डालें
ui-err-phone = सही फ़ोन नंबर नहीं है

# कम से कम 6 अंकों का पिन, कुछ भी आसान नहीं; ग़लत पिन पर इंतज़ार; डिवाइस की गुप्त कुंजी।
ui-pin-rules = कम से कम 6 अंक, जिसका अंदाज़ा लगाना आसान न हो: एक ही अंक बार-बार नहीं (111111), क्रम नहीं (123456, 987654), छोटा समूह दोहराया हुआ नहीं (121212)। किसी को न बताएँ। भूला हुआ पिन कोई वापस नहीं ला सकता।
ui-err-weak_pin = दूसरा पिन चुनें।
ui-err-weak_pin-too_short = पिन में कम से कम 6 अंक चाहिए।
ui-err-weak_pin-not_digits = पिन में केवल अंक होने चाहिए।
ui-err-weak_pin-one_digit = इस पिन में एक ही अंक दोहराया गया है, जिसे कोई भी सबसे पहले आज़माता है। दूसरा चुनें।
ui-err-weak_pin-sequence = यह पिन अंकों का क्रम है (जैसे 123456), जिसे कोई भी सबसे पहले आज़माता है। दूसरा चुनें।
ui-err-weak_pin-pattern = इस पिन में छोटा समूह दोहराया गया है (जैसे 121212), जिसे कोई भी सबसे पहले आज़माता है। दूसरा चुनें।
ui-err-wrong_pin-wait = पिन ग़लत है। लगातार बहुत से ग़लत पिन: { $seconds } सेकंड बाद फिर कोशिश करें।
ui-err-try_later = लगातार बहुत से ग़लत पिन। { $seconds } सेकंड बाद फिर कोशिश करें।
ui-err-erased = बहुत से ग़लत पिन: आपकी संस्था के नियम के अनुसार इस फ़ोन के रिकॉर्ड मिटा दिए गए। अपने पर्यवेक्षक से नया कोड लेकर फिर पंजीकरण करें।
ui-err-keystore = इस फ़ोन का कुंजी-भंडार नहीं मिल रहा, इसलिए रिकॉर्ड नहीं खुल सकते। अपने पर्यवेक्षक को बताएँ; फ़ोन रीसेट न करें।
ui-err-revoked = व्यवस्थापक ने यह फ़ोन बंद कर दिया है; यह अब सिंक नहीं करता।

# स्पॉट जाँच (डैशबोर्ड और पर्यवेक्षक का फ़ोन)।
spot-title = स्पॉट जाँच
spot-anomaly-many_places_one_day = एक ही दिन { $blocks } प्रखंडों के { $villages } गाँवों में मुलाक़ातें
spot-anomaly-recorded_late = मुलाक़ात के { $days } दिन बाद दर्ज
spot-anomaly-identical_note = { $visits } मुलाक़ातों पर एक जैसी टिप्पणी (बच्चे: { $cases })
spot-random = बिना क्रम के चुनी गई
spot-outcome-verified = सत्यापित
spot-outcome-has_issues = गड़बड़ी मिली
spot-outcome-could_not_verify = सत्यापित नहीं हो सकी
spot-open = जाँचना बाकी

# समीक्षा (डैशबोर्ड और फ़ील्ड कार्यकर्ता का फ़ोन)।
ui-sent-back-assessment = पर्यवेक्षक ने आकलन वापस भेजा
ui-sent-back-closure = पर्यवेक्षक ने मामला बंद करना वापस भेजा
ui-open-case = मामला खोलें

# फ़ोन पर मामले की स्थिति।
ui-status-title = लापता बताएँ, बंद करें या फिर खोलें
ui-status-reason-label = क्यों (क्या हुआ, किसने बताया)
ui-status-since = कब से
ui-status-choose = मामले की नई स्थिति चुनें।
ui-status-reason = कारण लिखें: कोर टीम और सीडब्ल्यूसी इसे पढ़ते हैं।
ui-status-saved = स्थिति इस फ़ोन पर सहेजी गई।
ui-cancel = रद्द करें

## Field app: follow-up screens
ui-saved = इस फ़ोन पर सहेज लिया।
ui-nothing-changed = कुछ नहीं बदला।
ui-follow-up = फ़ॉलो-अप
ui-date-day = दिन
ui-date-month = महीना
ui-date-year = साल
ui-date-clear = तारीख़ हटाएँ
ui-err-before-2000 = साल जाँचें: 2000 से पहले की तारीख़ दर्ज नहीं होती।
ui-err-before-last = यह तारीख़ दावे के पिछले दर्ज कदम से पहले की है।
ui-err-amount = रक़म रुपयों में लिखें, सिर्फ़ अंक।
ui-err-hearing-before-summons = सुनवाई समन मिलने से पहले नहीं हो सकती।
ui-err-next-hearing = अगली सुनवाई इस सुनवाई के बाद की होनी चाहिए।
ui-overdue = समय से पीछे

ui-today-filter = दिखाएँ
ui-filter-all = सब
ui-filter-urgent = अति आवश्यक
ui-filter-overdue = समय से पीछे
ui-filter-week = इस हफ़्ते
ui-today-children = { $n ->
    [one] { $n } बच्चा
   *[other] { $n } बच्चे
}
ui-today-filter-empty = यहाँ कुछ नहीं है। सब देखने के लिए "सब" चुनें।
ui-today-never-synced = इस फ़ोन पर अभी किसी बच्चे का रिकॉर्ड नहीं है। जहाँ नेटवर्क हो वहाँ एक बार सिंक करें, आपके बच्चों के रिकॉर्ड आ जाएँगे।
ui-first-sync = आपके बच्चों के रिकॉर्ड इस फ़ोन पर लाए जा रहे हैं…
ui-first-sync-done = { $n ->
    [0] फ़ोन तैयार है। अभी आपको कोई बच्चा नहीं सौंपा गया है; अपने पर्यवेक्षक से पूछें।
    [one] फ़ोन तैयार है: एक बच्चे का रिकॉर्ड अब इस फ़ोन पर है।
   *[other] फ़ोन तैयार है: { $n } बच्चों के रिकॉर्ड अब इस फ़ोन पर हैं।
}
ui-first-sync-failed = रिकॉर्ड अभी नहीं आ सके। नेटवर्क मिलने पर फिर कोशिश करें।
ui-first-sync-today = आज का काम देखें

ui-court-title = अदालत का मामला
ui-court-ref = मुक़दमा संख्या
ui-court = अदालत
ui-court-hint = जैसे: विशेष न्यायालय (पॉक्सो), जयपुर
ui-lawyer = वकील
ui-lawyer-authorised = { $date } को अनुमति दी
ui-lawyer-not-yet = अभी अनुमति नहीं दी
ui-lawyer-given = परिवार ने वकील को अनुमति दे दी है
ui-lawyer-on = अनुमति की तारीख़
ui-lawyer-by = किसने अनुमति दी
ui-lawyer-by-hint = जैसे: माँ
ui-legal-change = मुक़दमा संख्या, अदालत या वकील बदलें
ui-legal-by-needed = लिखें कि परिवार में किसने वकील को अनुमति दी।
ui-summonses = समन और सुनवाई
ui-summons-add = समन दर्ज करें
ui-summons-received = समन { $date } को मिला
ui-summons-received-on = समन मिलने की तारीख़
ui-hearing-date = सुनवाई की तारीख़
ui-hearing-on = सुनवाई
ui-hearing-of = { $date } की सुनवाई
ui-hearing-follows = पिछली सुनवाई में मिली अगली तारीख़
ui-hearing-outcome-due = { $date } की सुनवाई: क्या हुआ, दर्ज करें
ui-mode = बच्चा गवाही कैसे देगा
ui-mode-video = वीडियो से
ui-mode-in-person = अदालत में जाकर
ui-summons-saved = समन सहेज लिया। अगली मुलाक़ात में परिवार से इसकी बात करें।
ui-hearing-record = सुनवाई में क्या हुआ, दर्ज करें
ui-held-on = सुनवाई की तारीख़
ui-outcome = क्या हुआ
ui-outcome-testimony-given = गवाही हो गई
ui-outcome-adjourned = सुनवाई आगे की तारीख़ पर टली
ui-outcome-not-attended = परिवार सुनवाई में नहीं गया
ui-next-hearing = अगली सुनवाई की तारीख़
ui-next-hearing-set = अदालत ने नई तारीख़ दी है
ui-hearing-why-label = परिवार सुनवाई में क्यों नहीं गया
ui-hearing-choose = चुनें कि सुनवाई में क्या हुआ।
ui-hearing-why = लिखें कि परिवार सुनवाई में क्यों नहीं गया।
ui-hearing-date-needed = समन पर लिखी सुनवाई की तारीख़ चुनें।
ui-next-hearing-needed = अगली सुनवाई की तारीख़ चुनें।
ui-incidents = उत्पीड़न
ui-incidents-count = { $n ->
    [one] उत्पीड़न की { $n } घटना
   *[other] उत्पीड़न की { $n } घटनाएँ
}
ui-incident-add = उत्पीड़न दर्ज करें
ui-incident-on = घटना की तारीख़
ui-incident-what = क्या हुआ
ui-incident-what-needed = लिखें कि क्या हुआ।
ui-police-informed-q = पुलिस को बताया गया
ui-police-informed = पुलिस को बताया
ui-police-not-informed = पुलिस को नहीं बताया
ui-police-informed-now = अब पुलिस को बता दिया गया है
ui-incident-saved = उत्पीड़न दर्ज हो गया। अगली मुलाक़ात में बच्चे की सुरक्षा देखें।

ui-claims-none-open = { $n ->
    [0] अभी कोई दावा नहीं।
   *[other] कोई खुला दावा नहीं ({ $n } का भुगतान हो चुका)।
}
ui-claim-add = दावा जोड़ें
ui-claim-new = कौन सी योजना?
ui-claim-pick = योजना चुनें।
ui-claim-open-already = इस बच्चे का इस योजना में एक दावा पहले से खुला है। दूसरा जोड़ने के बजाय उसी की प्रगति दर्ज करें।
ui-claim-applied-q = आवेदन हो चुका है?
ui-claim-applied-yes = आवेदन हो चुका
ui-claim-applied-no = अभी आवेदन नहीं हुआ
ui-claim-applied-on = आवेदन की तारीख़
ui-claim-saved = दावा इस फ़ोन पर सहेज लिया।
ui-claim-progress = प्रगति दर्ज करें
ui-claim-progress-saved = प्रगति इस फ़ोन पर सहेज ली।
ui-claim-stage = नया चरण
ui-claim-stage-on = तारीख़
ui-claim-amount = रक़म (₹)
ui-claim-stuck = कहाँ अटका है
ui-claim-stuck-hint = जैसे: बैंक पहचान पत्र माँग रहा है
ui-claim-nothing = नया चरण चुनें, या रक़म या अटकने का कारण लिखें।

ui-docs-missing = { $n ->
    [0] सभी दस्तावेज़ हाथ में हैं
    [one] { $n } दस्तावेज़ नहीं है
   *[other] { $n } दस्तावेज़ नहीं हैं
}
ui-doc-blocks = इसके बिना रुके हैं
ui-doc-received-today = आज मिला
ui-doc-verified-today = आज सत्यापित किया
ui-doc-change = दूसरी तारीख़
ui-doc-change-state = बदलें
ui-doc-on = तारीख़
ui-doc-saved = दस्तावेज़ इस फ़ोन पर सहेज लिया।

ui-school-title = स्कूल
ui-school-kind = स्कूल या ब्रिज कार्यक्रम
ui-school-school = स्कूल
ui-school-bridge = ब्रिज कार्यक्रम
ui-school-name = स्कूल का नाम
ui-school-bridge-name = कार्यक्रम का नाम
ui-school-class = कक्षा
ui-school-class-hint = जैसे: 6
ui-school-enrolled = नामांकन हो गया
ui-school-enrolled-on = नामांकन की तारीख़
ui-school-attendance = हाज़िरी
ui-school-attendance-hint = जैसे: नियमित, 80%, अनियमित
ui-school-none = स्कूल में होने की जानकारी नहीं।
ui-school-kind-needed = स्कूल या ब्रिज कार्यक्रम चुनें।
ui-school-name-needed = स्कूल या कार्यक्रम का नाम लिखें।

ui-family-title = परिवार
ui-relation-hint = जैसे: माँ, चाचा
ui-caregiver-name-needed = अभिभावक का नाम लिखें।

ui-risk-title = जोखिम का स्तर
ui-risk-now = अभी
ui-risk-computed = बच्चे के रिकॉर्ड से नियमों के अनुसार तय।
ui-risk-by-rules = नियमों से तय
ui-risk-overridden = कार्यकर्ता ने तय किया
ui-risk-set-by = { $name } ने ख़ुद तय किया
ui-risk-clear = नियमों वाले स्तर पर लौटें
ui-risk-override = स्तर ख़ुद तय करें
ui-risk-reason = क्यों (आप क्या जानते हैं जो रिकॉर्ड में नहीं है)
ui-risk-reason-needed = लिखें कि स्तर ख़ुद क्यों तय किया।

ui-visit-court = अदालत और सुरक्षा
ui-visit-summons-discussed = परिवार से समन की बात की ({ $date } की सुनवाई)
ui-visit-safety-checked = बच्चे की सुरक्षा देखी

# Registration: district and block from the user's areas; likely duplicates first.
ui-choose = चुनें
ui-block-other = इस ज़िले का कोई दूसरा प्रखंड
ui-block-other-name = प्रखंड का नाम
ui-areas-unknown = आपके ज़िले और प्रखंड पहले सिंक के साथ आते हैं। तब तक इन्हें वैसे ही लिखें जैसे सीडब्ल्यूसी आदेश में लिखे हैं।
ui-err-area = आपके क्षेत्र में नहीं है; सूची से चुनें
ui-dup-title = क्या यह बच्चा पहले से दर्ज है?
ui-dup-intro = { $n ->
    [one] इस फ़ोन पर पहले से दर्ज एक बच्चा { $name } जैसा लगता है। दर्ज करने से पहले जाँच लें: एक बच्चे के दो मामले होने से मुलाक़ातें, दावे और अदालत की तारीख़ें बँट जाती हैं।
   *[other] इस फ़ोन पर पहले से दर्ज { $n } बच्चे { $name } जैसे लगते हैं। दर्ज करने से पहले जाँच लें: एक बच्चे के दो मामले होने से मुलाक़ातें, दावे और अदालत की तारीख़ें बँट जाती हैं।
}
ui-dup-matched-as = { $name } नाम से भी लिखा है
ui-dup-fact-name = वही नाम
ui-dup-fact-district = वही ज़िला
ui-dup-fact-age = लगभग उतनी ही उम्र
ui-dup-fact-village = वही गाँव
ui-dup-fact-caregiver = वही अभिभावक
ui-dup-same = यही बच्चा है: मामला खोलें
ui-dup-different-hint = { $n ->
    [one] यह बच्चा नहीं है?
   *[other] इनमें से कोई भी यह बच्चा नहीं है?
}
ui-dup-different = अलग बच्चा है: दर्ज करें
ui-dup-back = फ़ॉर्म पर लौटें
ui-dup-not-registered = कुछ दर्ज नहीं हुआ: यह उसी बच्चे का मामला है।
ui-dup-intro-elsewhere = { $n ->
    [one] आपके क्षेत्र के किसी दूसरे फ़ोन पर देखा जा रहा एक बच्चा { $name } जैसा लगता है। दर्ज करने से पहले जाँच लें: एक बच्चे के दो मामले होने से मुलाक़ातें, दावे और अदालत की तारीख़ें बँट जाती हैं।
   *[other] आपके क्षेत्र के दूसरे फ़ोनों पर देखे जा रहे { $n } बच्चे { $name } जैसे लगते हैं। दर्ज करने से पहले जाँच लें: एक बच्चे के दो मामले होने से मुलाक़ातें, दावे और अदालत की तारीख़ें बँट जाती हैं।
}
ui-dup-elsewhere-title = दूसरे फ़ोनों पर
ui-dup-followed-by = { $name } इसे दूसरे फ़ोन पर पहले से देख रहे हैं
ui-dup-followed-by-nobody = सर्वर पर है, अभी किसी फ़ील्डवर्कर को नहीं सौंपा गया
ui-dup-same-elsewhere = यही बच्चा है
ui-dup-elsewhere-same-title = कुछ दर्ज नहीं हुआ
ui-dup-ask-supervisor = { $name } का मामला इस फ़ोन पर नहीं है। अपने पर्यवेक्षक से कहें कि यह मामला आपको सौंपें: अगले सिंक के साथ यह इस फ़ोन पर आ जाएगा।
ui-dup-done = आज की सूची पर लौटें
ui-dup-here-only = जाँच केवल इस फ़ोन पर हुई: सर्वर से पूछा नहीं जा सका, इसलिए किसी दूसरे फ़ोन पर देखा जा रहा बच्चा यहाँ नहीं दिखेगा।
ui-registered-here-only = बच्चा दर्ज हुआ। दोहरे पंजीकरण की जाँच केवल इस फ़ोन पर हुई।

# A child registered twice, merged by the supervisor (the Case screen).
ui-case-merged-into = दो बार दर्ज: पर्यवेक्षक ने यह मामला { $name } के मामले में मिला दिया है, जिसमें अब इसके सारे रिकॉर्ड हैं। नई मुलाक़ातें वहीं दर्ज करें।
ui-case-merged-into-id = दो बार दर्ज: पर्यवेक्षक ने यह मामला मामले { $id } में मिला दिया है, जिसमें अब इसके सारे रिकॉर्ड हैं। नई मुलाक़ातें वहीं दर्ज करें।
ui-case-merged-open = { $name } का मामला खोलें
ui-case-merged-not-here = वह मामला इस फ़ोन पर नहीं है: अपने पर्यवेक्षक से कहें कि वह मामला आपको सौंपें।
ui-case-merged-from = { $n ->
    [one] यह बच्चा अलग से भी दर्ज था ({ $ids }); पर्यवेक्षक ने वह मामला इस मामले में मिला दिया है।
   *[other] यह बच्चा अलग से भी दर्ज था ({ $ids }); पर्यवेक्षक ने वे मामले इस मामले में मिला दिए हैं।
}

# When a prompt is due, from today.
ui-due-overdue = { $days ->
    [one] कल से बाकी
   *[other] { $days } दिन से बाकी
}
ui-due-today = आज करना है
ui-due-in = { $days ->
    [one] कल करना है
   *[other] { $days } दिन में करना है
}

# The family moved: the phone asks, the supervisor decides on the dashboard.
ui-move-open = परिवार कहीं और चला गया है
ui-move-title = परिवार कहीं और चला गया है
ui-move-hint = परिवार अब कहाँ रहता है? मामला वहाँ भेजा जाए या नहीं, और बच्चे की देखरेख कौन करेगा, यह आपके पर्यवेक्षक तय करेंगे।
ui-move-reason = परिवार क्यों गया
ui-move-reason-hint = जैसे: पिता को पटना में काम मिला
ui-move-on = जाने की तारीख़
ui-move-send = पर्यवेक्षक से मामला भेजने का अनुरोध करें
ui-move-needed = ज़िला, प्रखंड, गाँव और परिवार के जाने का कारण लिखें।
ui-move-requested = मामला { $place } भेजने का अनुरोध: पर्यवेक्षक के फ़ैसले का इंतज़ार है
ui-move-requested-by = { $date } को गए · अनुरोध { $name } ने किया
ui-move-refused = { $name } ने मामला नहीं भेजा:
ui-move-saved = अनुरोध सहेज लिया; अगले सिंक के साथ यह आपके पर्यवेक्षक तक पहुँचेगा।
ui-claim-before-rescue = यह तारीख रेस्क्यू ({ $date }) से पहले की है: तारीख जाँच लें। जैसी है, वैसी सहेजी जाएगी।

## command line
# `homeward` कमांड लाइन जो कुछ लोगों के लिए छापती है (app/cli)। --json में शब्द नहीं, मान छपते हैं।
cli-error = गड़बड़ी: { $message }
cli-warning = ध्यान दें: { $message }
cli-pin-new = नया पिन (कम से कम 6 अंक)
cli-warn-file-keystore = डिवाइस की गुप्त कुंजी { $dir } में एक सादी फ़ाइल में रखी है: जो भी वह फ़ोल्डर और डेटा फ़ोल्डर कॉपी कर ले, वह बिना नेटवर्क के पिन खोज सकता है; इसे सिर्फ़ टेस्ट, डेमो और बिना स्क्रीन वाली मशीनों के लिए इस्तेमाल करें
cli-init = { $dir } में एन्क्रिप्टेड स्टोर बन गया
cli-enrolled = यह डिवाइस { $name } ({ $user }) के लिए { $device } नाम से पंजीकृत हो गया; अब `homeward sync` चलाएँ

cli-registered = { $name } का पंजीकरण हो गया
cli-no-cases = कोई मामला नहीं
cli-last-visit = पिछली मुलाक़ात { $date }
cli-next-visit = अगली मुलाक़ात { $date }
cli-conflicts = ({ $n } जानकारियाँ दो फ़ोन पर अलग-अलग बदली गईं)
cli-assessed = आकलन सहेज लिया: { $n } ज़रूरतें
cli-visit-saved = मुलाक़ात सहेज ली
cli-need-set = { $dimension }: अब "{ $status }"
cli-summons-saved = समन सहेज लिया: 24 घंटे के भीतर परिवार से मिलें
cli-incident-saved = उत्पीड़न की घटना सहेज ली
cli-incident-updated = उत्पीड़न की घटना में बदलाव सहेज लिया
cli-legal-saved = अदालत के मामले की जानकारी सहेज ली
cli-hearing-saved = सुनवाई में क्या हुआ, सहेज लिया
cli-hearing-next = सुनवाई में क्या हुआ, सहेज लिया; अगली सुनवाई की तारीख़ दर्ज हो गई
cli-status-set = मामले की स्थिति अब: { $state }
cli-move-requested = मामला भेजने का अनुरोध सहेज लिया: अगले सिंक के बाद पर्यवेक्षक तय करेंगे
cli-school-saved = स्कूल की जानकारी सहेज ली
cli-family-saved = अभिभावक की जानकारी सहेज ली
cli-risk-set = जोखिम का स्तर अब: { $risk }
cli-risk-cleared = जोखिम का स्तर फिर से नियमों से तय होगा
cli-claim-saved = दावा सहेज लिया
cli-claim-updated = दावे की प्रगति सहेज ली
cli-document-set = { $document }: { $state }
cli-warn-before-rescue = आवेदन की तारीख़ { $applied } रेस्क्यू ({ $rescued }) से पहले की है: तारीख़ जाँच लें

cli-dup-one = { $name } इस स्टोर में पहले से दर्ज एक बच्चे जैसा लगता है; कुछ दर्ज नहीं हुआ। मामला जाँच लें, और अगर यह अलग बच्चा है तो --not-duplicate जोड़ें:
cli-dup-many = { $name } इस स्टोर में पहले से दर्ज { $n } बच्चों जैसा लगता है; कुछ दर्ज नहीं हुआ। मामले जाँच लें, और अगर यह अलग बच्चा है तो --not-duplicate जोड़ें:
cli-dup-case = { $case }  { $name } ({ $village }, { $district }, { $age }): { $facts } एक जैसे हैं
cli-dup-fact-name = नाम
cli-dup-fact-name-as = नाम ({ $name } लिखा है)
cli-dup-fact-district = ज़िला
cli-dup-fact-age = उम्र ({ $years } वर्ष के अंतर तक)
cli-dup-fact-village = गाँव
cli-dup-fact-caregiver = अभिभावक

cli-today-none = { $date } को कुछ बाकी नहीं है
cli-today-head = { $date } के लिए { $n } काम: { $urgent } अति आवश्यक, { $high } ज़रूरी, { $normal } सामान्य; { $overdue } मुलाक़ातें समय से पीछे
cli-priority-urgent = अति आवश्यक
cli-priority-high = ज़रूरी
cli-priority-normal = सामान्य

cli-show-place = गाँव { $village }, प्रखंड { $block }, ज़िला { $district }
cli-show-summary = घर वापसी { $returned }  स्थिति { $state }  जोखिम { $risk }  अगली मुलाक़ात { $next }
cli-show-caregiver = अभिभावक { $name } ({ $relation }) { $phone }
cli-show-needs = ज़रूरतें:
cli-show-documents = दस्तावेज़: { $list }
cli-show-claim = दावा { $id } ({ $dimension }) { $scheme }: आवेदन { $applied }, स्वीकृति { $sanctioned }, भुगतान { $paid }
cli-show-summons = समन { $id }: { $received } को मिला, सुनवाई { $hearing } को
cli-show-incident = उत्पीड़न { $id }, { $date }: { $what } ({ $police })
cli-show-visits = मुलाक़ातें ({ $n }):
cli-show-prompts = करने के काम:
cli-show-conflict = { $path } पर दो फ़ोन से अलग-अलग जानकारी: { $values }
cli-show-by = { $value } ({ $name })
cli-unknown = पता नहीं

cli-sync-retry = अस्वीकार हुए { $n } बदलाव फिर से भेजने के लिए रखे
cli-sync-resend = सर्वर से पुष्टि हुए { $n } बदलाव फिर से भेजने के लिए रखे
cli-sync-round = आदान-प्रदान { $round }: { $up } बदलाव भेजे ({ $sent } बाइट), { $documents } मामले और { $changes } बदलाव आए ({ $received } बाइट)
cli-sync-more = , और बाकी है
cli-sync-refused = सर्वर ने मामले { $case } के { $n } बदलाव स्वीकार नहीं किए ({ $reason }); वे इस डिवाइस पर अलग रखे हैं (`homeward sync --retry-refused` उन्हें फिर भेजता है)
cli-synced = सिंक हो गया ({ $rounds } आदान-प्रदान): { $confirmed } बदलाव भेजे और सर्वर ने स्वीकार किए ({ $sent } बाइट); { $documents } मामले और { $changes } बदलाव आए ({ $received } बाइट); { $dropped } मामले हटाए गए
cli-revoked-wiped = व्यवस्थापक ने यह डिवाइस बंद कर दिया है: { $dir } में इसका स्टोर मिटा दिया गया; नया पंजीकरण कोड माँगें
cli-revoked-kept = सर्वर कहता है कि यह डिवाइस बंद कर दिया गया है, पर यहाँ के { $changes } बदलाव और { $outcomes } स्पॉट-चेक नतीजे कभी सर्वर तक नहीं पहुँचे: { $dir } का स्टोर रखा गया है, मिटाया नहीं गया, और यह अब सिंक नहीं करता; यह डिवाइस अपने पर्यवेक्षक को दिखाएँ
cli-exported = मामला { $case } { $file } में निर्यात किया ({ $bytes } बाइट)
cli-imported-new = नया मामला { $case } आयात किया
cli-imported-merged = मामले { $case } में मिला दिया
cli-exported-sealed = मामला { $case } { $file } में निर्यात किया ({ $bytes } बाइट), { $to } के लिए सील: फ़ाइल ले जाने वाला इसमें से कुछ नहीं पढ़ सकता
cli-sealed-to-server = सर्वर
cli-sealed-to-phone = कुंजी { $key } वाला फ़ोन
cli-warn-plain-export = { $file } एन्क्रिप्टेड नहीं है: इसमें बच्चे का नाम, परिवार का फ़ोन नंबर और घटनाएँ साफ़ पढ़ी जा सकती हैं, जिसके भी हाथ यह फ़ाइल लगे; --plain के बिना फ़ाइल सर्वर के लिए सील होती है
cli-imported-relay = दूसरे फ़ोन पर किए गए बदलाव उसी फ़ोन के हस्ताक्षर के साथ इस फ़ोन के अगले सिंक में सर्वर पर जाएँगे
cli-err-import-not-case = { $file } निर्यात किया गया मामला नहीं है: सर्वर के लिए या सर्वर से आई फ़ाइल `homeward receive { $file }` से ली जाती है
cli-err-import-for-server = { $file } सर्वर के लिए सील है, इस फ़ोन के लिए नहीं: इसे दफ़्तर को दें, या `homeward receive { $file }` से यह फ़ोन इसे अगले सिंक में सर्वर तक ले जाए
cli-err-import-for-another = { $file } किसी दूसरे फ़ोन (कुंजी { $key }) के लिए सील है, इसके लिए नहीं: इसे उसी फ़ोन को दें
cli-sms-send-to = यह संदेश एक SMS में { $number } पर भेजें
cli-sms-no-number = सर्वर ने ज़रूरी SMS के लिए कोई नंबर नहीं दिया: अपने सुपरवाइज़र से पूछें
cli-sms-no-name = इसमें कोई नाम नहीं है, सिर्फ़ आईडी, प्रकार और तारीख़ें ({ $chars } अक्षर, एक SMS)
cli-err-sms-no-key = इस फ़ोन के पास अभी SMS कुंजी नहीं है: एक बार नेटवर्क के साथ सिंक करें, फिर ज़रूरी SMS भेजे जा सकते हैं
cli-err-sms-unknown-record = मामले { $case } में { $record } नाम का कोई समन या घटना नहीं है
cli-err-sms-not-urgent = { $record } मामले { $case } { $what ->
    [visit] की एक मुलाक़ात
    [claim] का एक दावा
    [referral] का एक रेफ़रल
   *[copy] के एक दस्तावेज़ की प्रति
} है, समन या घटना नहीं: SMS से सिर्फ़ वही भेजे जाते हैं
cli-demo-visit = मुलाक़ात सहेज ली { $case } { $visit }
cli-demo-done = { $cases } काल्पनिक मामले और { $visits } मुलाक़ातें जोड़ी गईं
cli-sent-back-none = कुछ भी वापस नहीं भेजा गया
cli-sent-back = { $case }  { $by } ने { $subject } वापस भेजा: { $comment }
cli-subject-assessment = आकलन
cli-subject-closure = मामला बंद करना
cli-spot-recorded = स्पॉट जाँच { $id } इस डिवाइस पर दर्ज हो गई; अगले सिंक में भेजी जाएगी
cli-spot-none = अभी कोई स्पॉट जाँच बाकी नहीं (ये पर्यवेक्षकों के लिए सिंक के साथ आती हैं)
cli-spot-row = { $id }  { $date }  { $child } ({ $village }, { $block }), { $by } की मुलाक़ात: { $why }
cli-verify-ok = ठीक है: { $cases } मामले और { $visits } मुलाक़ातें, मामलों की फ़ाइलें और तालिकाएँ मेल खाती हैं

# कमांड क्यों नहीं हो सकी (FieldError, SchemaError, InvalidEdit और कमांड लाइन की अपनी)।
cli-err-bad_input = यह नहीं हो सका: { $detail }
cli-err-wrong_pin = { $dir } के स्टोर के लिए पिन ग़लत है
cli-err-erased = लगातार { $failures } ग़लत पिन: प्रोग्राम फ़ाइल के नियम ([unlock] wipe_after_failures) के अनुसार { $dir } का स्टोर मिटा दिया गया; नए पंजीकरण कोड से डिवाइस फिर से तैयार करें
cli-err-keystore = डिवाइस की गुप्त कुंजी नहीं मिल रही: { $detail }
cli-err-revoked = इस डिवाइस को इसके सर्वर ने { $at } को बंद कर दिया; यह अब सिंक नहीं करता। यहाँ के { $changes } बदलाव और { $outcomes } स्पॉट-चेक नतीजे कभी सर्वर तक नहीं पहुँचे और इसी डिवाइस पर रखे हैं: इसे अपने पर्यवेक्षक को दिखाएँ
cli-err-not_initialised = { $dir } में Homeward का स्टोर नहीं है: पहले `homeward init` चलाएँ
cli-err-already_initialised = { $dir } में Homeward का स्टोर पहले से है
cli-err-unknown_case = इस स्टोर में मामला '{ $case }' नहीं है
cli-err-ambiguous_case = '{ $case }' से { $n } मामले शुरू होते हैं; मामले की पहचान के और अक्षर दें
cli-err-damaged = सहेजा हुआ मामला { $case } पढ़ा नहीं जा सकता: { $detail }
cli-err-storage = स्टोर में गड़बड़ी: { $detail }
cli-err-io = { $path } पढ़ी या लिखी नहीं जा सकी: { $detail }
cli-err-network = सर्वर से संपर्क नहीं हुआ: { $detail }
cli-err-refused = सर्वर ने सिंक अस्वीकार कर दिया: { $detail }
cli-err-random = कंप्यूटर से रैंडम संख्याएँ नहीं मिलीं: { $detail }
refused-corrupt = यह Automerge फ़ाइल नहीं है: { $detail }
refused-not_a_case = यह Homeward के मामले की फ़ाइल नहीं है (प्रकार { $kind })
refused-unsupported_version = इस मामले की फ़ाइल स्कीमा संस्करण { $found } की है; Homeward का यह संस्करण { $max } तक पढ़ता है: ऐप अपडेट करें
refused-malformed = मामले की फ़ाइल में { $path } पर गड़बड़ी: वहाँ { $expected } होना चाहिए
refused-not_found = इस मामले में { $what } '{ $id }' नहीं है
refused-open_claim = { $scheme } का एक दावा पहले से खुला है ({ $id }): दूसरा जोड़ने के बजाय उसी की प्रगति दर्ज करें
refused-already_registered = इस फ़ाइल में पहले से मामला { $case } है
refused-merged_away = पर्यवेक्षक ने यह मामला मामले { $case } में मिला दिया है (बच्चा दो बार दर्ज हुआ था): उसी मामले में दर्ज करें
refused-automerge = Automerge में गड़बड़ी: { $detail }
refused-too_deep = मामले की फ़ाइल में चीज़ें { $limit } स्तरों से ज़्यादा गहराई तक हैं
refused-not_allowed = कोई बदलाव यह नहीं कर सकता: { $detail }
refused-too_large = मामले की फ़ाइल बहुत बड़ी है: { $limit } से ज़्यादा { $what }
refused-status_not_allowed = "{ $status }" { $dimension } की स्थिति नहीं हो सकती
refused-dates_out_of_order = { $later } ({ $later_on }) { $earlier } ({ $earlier_on }) से पहले नहीं हो सकती
refused-in_future = { $what } ({ $on }) भविष्य की तारीख़ है
refused-too_early = { $what } ({ $on }) बहुत पुरानी तारीख़ है: साल जाँचें
refused-empty = { $what } लिखना ज़रूरी है
refused-required = { $what } ज़रूरी है
refused-duplicate_update = एक मुलाक़ात में { $dimension } दो बार बदली गई है
refused-too_long = { $what } { $max } अक्षरों से लंबा है
refused-too_many = { $what }: { $max } से ज़्यादा
refused-bad_page = प्रति का पेज { $page } सही पेज-संदर्भ नहीं है
refused-copy_withdrawn = प्रति { $id } वापस ली जा चुकी है: उसकी जाँच दर्ज नहीं हो सकती
refused-copy_not_withdrawn = प्रति { $id } वापस नहीं ली गई है
attach-no_pages = प्रति में कम से कम एक पेज चाहिए
attach-too_many_pages = { $pages } पेज: एक प्रति में ज़्यादा से ज़्यादा { $max } पेज हो सकते हैं
attach-unknown_type = पेज { $page } फ़ोटो (JPEG, PNG, WebP) या PDF नहीं है
attach-file_too_large = पेज { $page } { $kb } KB का है: एक पेज ज़्यादा से ज़्यादा { $max } KB का हो सकता है (कार्यक्रम फ़ाइल में attachments max_file_kb)
attach-case_too_large = केस में { $mb } MB की प्रतियाँ हो जाएँगी: ज़्यादा से ज़्यादा { $max } MB (कार्यक्रम फ़ाइल में attachments max_case_mb)
cli-err-no-data-dir = इस कंप्यूटर पर डेटा फ़ोल्डर नहीं मिला: --data DIR दें
cli-err-pin-read = पिन पढ़ा नहीं जा सका ({ $detail }): { $var } सेट करें
cli-err-json = JSON नहीं लिखा जा सका: { $detail }
cli-err-dob-or-age = --dob DATE या --age YEARS दें
cli-err-unknown-risk = जोखिम का स्तर '{ $value }' नहीं होता (इनमें से एक दें: { $expected })
cli-err-assess-verb = प्रारंभिक आकलन `homeward assess` से दर्ज करें
cli-err-no-summons = मामले { $case } में समन '{ $summons }' नहीं है (`homeward case show { $case }` सभी समन दिखाता है)
cli-err-legal-nothing = बदलने को कुछ नहीं दिया: --court, --reference, --lawyer-authorised-on या --lawyer-authorised-by दें
cli-err-in-file = { $file } स्वीकार नहीं हुई: { $detail }
cli-err-revoked-wiped = सर्वर ने सिंक अस्वीकार कर दिया: डिवाइस बंद कर दिया गया; इसका स्टोर मिटा दिया गया
cli-err-revoked-kept = सर्वर ने सिंक अस्वीकार कर दिया: डिवाइस बंद कर दिया गया; जो काम सर्वर तक नहीं पहुँचा वह इसी डिवाइस पर रखा है
cli-err-verify = { $n } गड़बड़ियाँ: मामलों की फ़ाइलें और उनकी तालिकाएँ मेल नहीं खातीं

# बदलाव अस्वीकार होने पर जिन जानकारियों का नाम आता है (InvalidEdit, SchemaError::NotFound)।
field-actor = लिखने वाला डिवाइस
field-age-estimated-on = उम्र के अनुमान की तारीख़
field-applied-on = आवेदन की तारीख़
field-attendance = हाज़िरी
field-block = प्रखंड
field-caregiver-name = अभिभावक का नाम
field-case-id = मामले की पहचान
field-city = शहर
field-class = कक्षा
field-conflicting-field = अलग-अलग बदली गई जानकारी
field-consent-given-by = सहमति देने वाले
field-court = अदालत
field-court-case-reference = मुक़दमा संख्या
field-cwc-order-reference = सीडब्ल्यूसी आदेश संख्या
field-date = तारीख़
field-date-of-birth = जन्म तिथि
field-district = ज़िला
field-document-date = दस्तावेज़ की तारीख़
field-enrolled-on = नामांकन की तारीख़
field-hearing = सुनवाई की तारीख़
field-hearing-held-on = सुनवाई की तारीख़
field-hearing-id = सुनवाई की पहचान
field-incident = उत्पीड़न की घटना
field-incident-date = घटना की तारीख़
field-incident-id = घटना की पहचान
field-lawyer-authorised-by = वकील को अनुमति देने वाले
field-lawyer-authorised-on = वकील को अनुमति की तारीख़
field-legal-basis-dated = क़ानूनी आधार की तारीख़
field-move-request = मामला भेजने का अनुरोध
field-moved-on = जाने की तारीख़
field-name = नाम
field-need-update-id = ज़रूरत के बदलाव की पहचान
field-need-updates-in-one-visit = एक मुलाक़ात में ज़रूरतों के बदलाव
field-next-hearing = अगली सुनवाई की तारीख़
field-next-hearing-date = अगली सुनवाई की तारीख़
field-next-steps = अगले कदम
field-note = टिप्पणी
field-order-reference = आदेश संख्या
field-other-name = दूसरा नाम
field-other-names = दूसरे नाम
field-paid-on = भुगतान की तारीख़
field-panchayat = ग्राम पंचायत
field-path = जानकारी की जगह
field-phone = फ़ोन
field-reason = कारण
field-received-on = समन मिलने की तारीख़
field-receiving-authority = बच्चे को सौंपे जाने वाला अधिकारी
field-relation = रिश्ता
field-rescued-on = रेस्क्यू की तारीख़
field-returned-on = घर लौटने की तारीख़
field-sanctioned-on = स्वीकृति की तारीख़
field-scheme = योजना
field-school = स्कूल
field-service = दावा
field-service-id = दावे की पहचान
field-shelter-home = आश्रय गृह
field-status-date = स्थिति की तारीख़
field-summons = समन
field-summons-id = समन की पहचान
field-summons-received-on = समन मिलने की तारीख़
field-value = मान
field-value-written-by-actor = डिवाइस का लिखा मान
field-village = गाँव
field-visit-date = मुलाक़ात की तारीख़
field-visit-id = मुलाक़ात की पहचान
field-what-happened = क्या हुआ
field-who-was-met = किससे मिले
field-why-it-is-stuck = कहाँ अटका है
field-why-the-family-did-not-attend = परिवार सुनवाई में क्यों नहीं गया
field-workplace = कारख़ाने का प्रकार

# A field two devices set at once (the dashboard's conflict queue).
conflict-area-school = पढ़ाई
conflict-area-caregiver = देखभाल करने वाले
conflict-area-address = पता
conflict-area-court = अदालत का मामला
conflict-area-status = मामले की स्थिति
conflict-area-claim = दावा
conflict-area-risk = हाथ से तय जोखिम
conflict-key-status = स्थिति
conflict-key-note = टिप्पणी
conflict-key-state = स्थिति
conflict-key-on = तारीख़
conflict-key-kind = स्कूल या ब्रिज कार्यक्रम
conflict-key-institution = स्कूल का नाम
conflict-key-class = कक्षा
conflict-key-enrolled_on = नामांकन की तारीख़
conflict-key-attendance = हाज़िरी
conflict-key-name = नाम
conflict-key-relation = रिश्ता
conflict-key-phone = फ़ोन नंबर
conflict-key-village = गाँव
conflict-key-block = प्रखंड
conflict-key-applied_on = आवेदन की तारीख़
conflict-key-sanctioned_on = स्वीकृति की तारीख़
conflict-key-paid_on = भुगतान की तारीख़
conflict-key-amount = राशि
conflict-key-stuck_reason = क्यों अटका है
conflict-key-court_case_ref = मामला संख्या
conflict-key-court = अदालत
conflict-key-lawyer_authorised_on = वकील को अधिकार देने की तारीख़
conflict-key-lawyer_authorised_by = वकील को अधिकार किसने दिया
conflict-key-level = स्तर
conflict-key-reason = कारण
conflict-key-since = कब से

# Issue 12, section 1 leftovers (the CWC report's CSV and summary, closure reasons).
state-closed-in-error = बंद: गलती से दर्ज
closure-follow_up_ended = फ़ॉलो-अप पूरा
closure-registered_in_error = गलती से दर्ज
conflict-key-closure = बंद करने की वजह
ui-closure-title = मामला क्यों बंद हो रहा है?
ui-closure-choose = चुनें कि मामला क्यों बंद हो रहा है।
ui-closure-in-error-hint = गलती से दर्ज: यह कार्यक्रम का बच्चा नहीं है (भूल से या जाँच के लिए दर्ज हुआ)। कोई रिपोर्ट इस मामले को किसी भी महीने में नहीं गिनेगी। एक ही बच्चा दो बार दर्ज हो तो यह न चुनें: अपने पर्यवेक्षक से दोनों मामले मिलाने को कहें, ताकि कोई मुलाक़ात न छूटे।
col-row = पंक्ति
row-need = ज़रूरत
row-claim = इंतज़ार में दावा
col-item = मद
col-value = जानकारी
sum-month = महीना
sum-blocks-all = सभी प्रखंड
sum-as-of = आँकड़े इस दिन तक के
sum-month-over = महीना पूरा हो गया
sum-yes = हाँ
sum-no = नहीं
sum-prepared = तैयार होने की तारीख़
sum-school-age = 6 से 14 वर्ष के बच्चे
sum-school-enrolled = इनमें से स्कूल या ब्रिज कार्यक्रम में
sum-school-pct = इनमें से स्कूल या ब्रिज कार्यक्रम में (%)

# Issue 12, section 3: one programme for every part (the server's programme on the device).
cli-programme-not-used = { $file } इस्तेमाल नहीं हुई: सिंक के बाद से इस डिवाइस पर सर्वर की प्रोग्राम फ़ाइल (संस्करण { $version }) लागू है, ताकि हर फ़ोन डैशबोर्ड वाली सीमाएँ माने; इसे सर्वर का व्यवस्थापक बदलता है (homeward-sync-server programme set)
cli-programme-now = अब इस डिवाइस पर सर्वर की प्रोग्राम फ़ाइल लागू है (संस्करण { $version }): सुझाव, जोखिम और अगली मुलाक़ातें इसी से तय होती हैं
cli-programme-refused = यह ऐप सर्वर की प्रोग्राम फ़ाइल नहीं पढ़ सका ({ $reason }); पहले वाली ही लागू है: ऐप अपडेट करें

# Issue 12, section 2, Reviews: a closure shows as pending review on the phone until approved.
ui-closure-pending = बंद — कोर टीम की समीक्षा का इंतज़ार
ui-closure-pending-in-error = बंद (गलती से दर्ज) — कोर टीम की समीक्षा का इंतज़ार

# The resource map and referrals (issue 17).
prompt-follow_up_referral = रेफ़रल की जानकारी लें
why-follow_up_referral-referred = { $since } को { $resource } के पास भेजा, { $days } दिन बाद भी कोई जवाब नहीं: संस्थान और परिवार से पूछें, और जो हुआ वह दर्ज करें।
why-follow_up_referral-accepted = { $since } को { $resource } ने स्वीकार किया, { $days } दिन बाद भी सेवा नहीं मिली: कारण पूछें, और जो हुआ वह दर्ज करें।
resource-kind-livelihood = आजीविका प्रदाता
resource-kind-skills-training = कौशल प्रशिक्षण केंद्र
resource-kind-special-education = विशेष शिक्षा या ब्रिज केंद्र
resource-kind-school = विद्यालय
resource-kind-health = स्वास्थ्य केंद्र
resource-kind-counselling = परामर्श
resource-kind-legal-aid = कानूनी सहायता
resource-kind-government-office = योजना का सरकारी कार्यालय
referral-referred = भेजा गया
referral-accepted = स्वीकार किया
referral-served = सेवा मिली
referral-refused = मना किया
referral-no-response = कोई जवाब नहीं
field-referral-id = रेफ़रल की पहचान
field-referral-step-id = रेफ़रल के चरण की पहचान
field-resource-id = संसाधन की पहचान
field-resource-name = संसाधन का नाम
field-referred-on = भेजने की तारीख़
field-referral-date = रेफ़रल के चरण की तारीख़
field-referral-outcome = रेफ़रल का नतीजा (स्वीकार, सेवा मिली, मना किया या कोई जवाब नहीं)
field-copy = प्रति
field-copy-id = प्रति की पहचान
field-pages = पेज
field-taken-on = प्रति लेने की तारीख़
field-withdrawn-on = प्रति वापस लेने की तारीख़
field-verified-on = प्रति जाँचने की तारीख़
field-why-it-was-refused = मना करने का कारण
ui-err-resource_not_held = यह संसाधन इस फ़ोन के मानचित्र पर नहीं है। जहाँ सिग्नल हो वहाँ सिंक करें, फिर मानचित्र से कोई चुनें।
ui-err-resource_inactive = यह संसाधन अब रेफ़रल नहीं लेता। कोई दूसरा चुनें।

# फ़ील्ड ऐप की संसाधन सूची और रेफ़रल (issue 17)।
ui-resources-tab = संसाधन
ui-resource-title = परिवारों के लिए संसाधन
ui-resource-not-held = संसाधनों की सूची पहले सिंक के साथ आती है। जहाँ नेटवर्क हो वहाँ एक बार सिंक करें; उसके बाद यह फ़ोन पर ही, बिना नेटवर्क के खोजी जाती है।
ui-resource-search-hint = नाम, जगह या क्या देता है
ui-resource-block-mine = मेरे प्रखंड
ui-resource-need = किस ज़रूरत के लिए
ui-resource-kind = प्रकार
ui-resource-show-inactive = निष्क्रिय भी दिखाएँ
ui-resource-count = { $n ->
   *[other] { $n } संसाधन
}
ui-resource-none-found = सूची में ऐसा कुछ नहीं मिला।
ui-resource-inactive = निष्क्रिय
ui-resource-contact = संपर्क
ui-resource-takes = किसके लिए
ui-resource-ages = { $min } से { $max } वर्ष
ui-resource-age-from = { $min } वर्ष से
ui-resource-age-to = { $max } वर्ष तक
ui-resource-only-female = केवल लड़कियाँ
ui-resource-only-male = केवल लड़के
ui-resource-only-other = केवल अन्य लिंग के बच्चे
ui-resource-everyone = सभी
ui-resource-suggested = { $n ->
    [0] सूची में इसके लिए कोई संसाधन नहीं
    [one] { $n } संसाधन मदद कर सकता है
   *[other] { $n } संसाधन मदद कर सकते हैं
}
ui-referral-title = रेफ़रल
ui-referral-find = मदद खोजें
ui-referral-find-title = मदद खोजें: { $need }
ui-referral-pick = चुनें कि बच्चे या परिवार को कहाँ भेजें:
ui-referral-none-suggested = सूची में { $block } का कोई सक्रिय संसाधन इस ज़रूरत के लिए इस बच्चे को नहीं लेता। संसाधन स्क्रीन पर पूरी सूची खोजें, या अपने सुपरवाइज़र से पूछें।
ui-referral-to = { $name } के पास भेजें
ui-referral-on = भेजने की तारीख
ui-referral-note = किस लिए
ui-referral-note-hint = परिवार को क्या चाहिए, किससे मिलना है
ui-referral-save = रेफ़रल दर्ज करें
ui-referral-saved = रेफ़रल दर्ज हुआ
ui-referral-for = { $need } के लिए
ui-referral-made = { $date } को भेजा
ui-referral-reached = { $date } को { $state }
ui-referral-next = आगे क्या हुआ, दर्ज करें:
ui-referral-step-on = तारीख ({ $state })
ui-referral-refused-label = मना क्यों किया?
ui-referral-step-saved = दर्ज हुआ: { $state }
ui-referral-none = अभी कोई रेफ़रल नहीं।
ui-referral-before-made = यह तारीख रेफ़रल से पहले की है।
ui-referral-refused-why = बताएँ कि मना क्यों किया।
ui-referral-prompt-about = { $resource }: { $date } से { $state }

# The resource map and referrals on the command line (issue 17).
cli-resources-none = इस फ़ोन के संसाधन नक्शे में कोई संसाधन इससे मेल नहीं खाता
cli-resource-row = { $id }  { $name } ({ $kind }), प्रखंड { $block }: { $contact } — { $offers }
cli-resource-inactive = (अब रेफ़रल नहीं लेता)
cli-err-no-resource-map = इस फ़ोन पर अभी कोई संसाधन नक्शा नहीं है: अपने प्रखंडों के संसाधन पाने के लिए सिंक करें (`homeward sync`)
cli-err-resource-unknown = संसाधन { $id } इस फ़ोन के संसाधन नक्शे में नहीं है: सिंक करें, फिर `homeward resource list` में से कोई चुनें
cli-err-referral-unknown = मामले { $case } में रेफ़रल { $id } नहीं है
cli-err-resource-inactive = { $name } अब रेफ़रल नहीं लेता (कोर टीम ने इसे निष्क्रिय किया है): `homeward resource list` में से कोई दूसरा चुनें
cli-referred = { $name } को { $need } के लिए { $resource } के पास भेजा
cli-referral-updated = { $resource } के पास रेफ़रल: { $state }
cli-suggested = सुझाव: { $list }
cli-suggestion = { $name } ({ $kind }, { $contact })
cli-suggestion-no-contact = { $name } ({ $kind })
cli-show-referrals = रेफ़रल:
cli-show-referral = रेफ़रल { $id }: { $need } के लिए { $resource } ({ $kind }): { $state } — { $steps }
cli-show-referral-step = { $date } को { $state }

# The field app's copies of the checklist's documents (issue 15).
ui-copies = { $n ->
    [0] कोई प्रति नहीं
    [one] { $n } प्रति
   *[other] { $n } प्रतियाँ
}
ui-copy-pages = { $n ->
    [one] { $n } पेज
   *[other] { $n } पेज
}
ui-copy-add = प्रति जोड़ें
ui-copy-add-hint = हर पेज की फ़ोटो लें, या फ़ाइलें चुनें (फ़ोटो या PDF)।
ui-copy-choose = फ़ाइलें चुनें
ui-copy-photo = फ़ोटो लें
ui-copy-photo-next = अगले पेज की फ़ोटो लें
ui-copy-taking = { $n ->
    [one] इस प्रति के लिए { $n } पेज की फ़ोटो ली
   *[other] इस प्रति के लिए { $n } पेजों की फ़ोटो ली
}
ui-copy-save = प्रति सहेजें
ui-copy-adding = प्रति सहेजी जा रही है…
ui-copy-saved = प्रति इस फ़ोन पर सहेज ली।
ui-copy-saved-received = प्रति इस फ़ोन पर सहेज ली, और दस्तावेज़ "मिल गया" दर्ज किया।
ui-copy-taken = { $date } की प्रति
ui-copy-by = { $name } ने ली
ui-copy-open = खोलें
ui-copy-waiting = अपलोड होना बाकी: { $size }
ui-copy-on-server = सर्वर पर है
ui-copy-not-here = अभी इस फ़ोन पर नहीं
ui-copy-download = डाउनलोड करें
ui-copy-downloading = पेज { $page }/{ $pages } डाउनलोड हो रहा है: { $size } में से { $received }
ui-copy-downloaded = प्रति इस फ़ोन पर डाउनलोड हो गई।
ui-copy-withdraw = वापस लें
ui-copy-withdraw-reason = यह प्रति ग़लत क्यों है?
ui-copy-withdraw-confirm = यह प्रति वापस लें
ui-copy-withdraw-needs-reason = बताइए कि प्रति क्यों वापस ली जा रही है।
ui-copy-withdrawn = { $date } को वापस ली गई: { $reason }
ui-copy-withdrawn-saved = प्रति वापस ली गई। उसके पेज इस फ़ोन से हटा दिए गए।
ui-copy-verified = { $name } ने { $date } को सत्यापित की
ui-copy-page = पेज { $page }/{ $pages }
ui-copy-zoom = बड़ा या छोटा करने के लिए छुएँ
ui-copy-pdf = PDF, { $size }। यह फ़ोन PDF यहाँ नहीं दिखा सकता; यह मामले के साथ रखी है और सर्वर को भेजी जाती है।
ui-copy-loading = खुल रहा है…
ui-copy-close = बंद करें
ui-copies-waiting = भेजनी बाकी प्रतियाँ
ui-copies-waiting-size = { $pages } पेज, { $size }
ui-copies-sent = प्रतियाँ: { $size } में से { $sent } भेजी गईं
ui-copies-skipped = { $n ->
    [one] इस बार सर्वर ने एक प्रति का { $n } पेज नहीं लिया (आमतौर पर मामला अब आपको सौंपा नहीं है)। वह इस फ़ोन पर सुरक्षित है; बार-बार हो तो अपने पर्यवेक्षक को बताएँ।
   *[other] इस बार सर्वर ने प्रतियों के { $n } पेज नहीं लिए (आमतौर पर मामला अब आपको सौंपा नहीं है)। वे इस फ़ोन पर सुरक्षित हैं; बार-बार हो तो अपने पर्यवेक्षक को बताएँ।
}
ui-err-attach = यह प्रति सहेजी नहीं जा सकती।
ui-err-unreadable_page = एक पेज फ़ोटो या PDF के रूप में पढ़ा नहीं जा सका।
ui-err-unknown_attachment = यह प्रति अब इस फ़ोन पर नहीं है।
ui-err-no_such_page = इस प्रति में यह पेज नहीं है।
ui-err-not_on_server = सर्वर पर यह प्रति अभी नहीं है: जिस फ़ोन से ली गई, उसने अभी नहीं भेजी। उस फ़ोन के अगले सिंक के बाद फिर कोशिश करें।
ui-err-not_held = यह पेज इस फ़ोन पर नहीं है: पहले प्रति डाउनलोड करें।
cli-attached = { $document } की प्रति जोड़ी गई: { $pages } पेज, { $kb } KB
cli-attachments-none = इस मामले में दस्तावेज़ों की कोई प्रति नहीं है
cli-attachment-row = { $id }  { $document }  { $pages } पेज  { $kb } KB  { $date } को ली गई  { $state }
cli-attachment-state-synced = सर्वर पर है
cli-attachment-state-waiting = अपलोड बाकी ({ $kb } KB)
cli-attachment-state-withdrawn = { $date } को वापस ली गई: { $reason }
cli-attachment-state-not-held = सर्वर पर है, इस फ़ोन पर नहीं
cli-attachment-verified = { $name } ने { $date } को सत्यापित की
cli-attachment-fetching = पेज { $page } / { $pages }: { $size } में से { $kb } KB
cli-attachment-withdrawn = { $document } की प्रति { $id } वापस ली गई; उसके पेज इस फ़ोन से हटा दिए गए
cli-sync-copies = दस्तावेज़ों की प्रतियाँ: { $pages } पेज भेजे गए ({ $sent } बाइट); { $waiting } बाइट अभी भेजना बाकी ({ $waiting_pages } पेज)
cli-sync-page-skipped = पेज { $page } नहीं भेजा गया: { $reason }; यह इस फ़ोन पर इंतज़ार करेगा
cli-show-copies = { $n ->
    [one] 1 प्रति
   *[other] { $n } प्रतियाँ
}
cli-err-page-unreadable = पेज { $page } फ़ोटो के रूप में पढ़ा नहीं जाता ({ $detail })
cli-err-page-too-large = पेज { $page } की तस्वीर फ़ोन पर छोटी करने के लिए बहुत बड़ी है
cli-err-attachment-unknown = इस फ़ोन के मामलों में कोई प्रति '{ $id }' नहीं है: `homeward attachments CASE` देखें
cli-err-attachment-ambiguous = प्रति आईडी '{ $id }' अस्पष्ट है: { $n } प्रतियाँ इससे शुरू होती हैं; और अक्षर दें
cli-err-no-such-page = प्रति { $id } में { $pages } पेज हैं: पेज { $page } नहीं है
cli-err-not-on-server = सर्वर पर प्रति { $id } का पेज { $page } अभी नहीं है: जिस फ़ोन से ली गई, उसने अभी नहीं भेजा; उस फ़ोन के अगले सिंक के बाद फिर कोशिश करें
cli-err-attachment-withdrawn = प्रति { $id } { $date } को वापस ली गई थी: उसके पेज अब नहीं रखे जाते

## Sealed files and signed statements (issue 14): why one was refused. Nothing in it was read.
sealed-not_sealed = यह Homeward की सील की हुई फ़ाइल नहीं है
sealed-unknown = यह सील की हुई फ़ाइल ऐसे प्रकार या संस्करण की है जिसे यह Homeward नहीं जानता: Homeward अपडेट करें
sealed-not_for_server = यह फ़ाइल कुंजी { $key } के लिए सील है, जो इस सर्वर की नहीं है: यह किसी और सर्वर के लिए है, या बहुत पहले हटाई गई कुंजी के लिए
sealed-not_for_phone = यह फ़ाइल कुंजी { $key } के लिए सील है, जो इस फ़ोन की नहीं है: यह किसी और फ़ोन के लिए है
sealed-damaged = यह फ़ाइल खराब है या बनने के बाद बदली गई है (अधूरी है, या उसका कोई बाइट अलग है): इसमें से कुछ भी नहीं पढ़ा गया
sealed-bad_signature = हस्ताक्षर { $signer } से मेल नहीं खाता: फ़ाइल उसने नहीं बनाई जिसका नाम इसमें है, और इसमें से कुछ भी इस्तेमाल नहीं हुआ
sealed-unknown_signer = { $signer } यहाँ जाना-पहचाना नहीं है (कुंजी { $key }), इसलिए हस्ताक्षर जाँचा नहीं जा सकता: एक बार नेटवर्क से सिंक करें, फिर दोबारा कोशिश करें
sealed-wrong_kind = इस फ़ाइल में कुछ और है, वह नहीं जो यहाँ माँगा गया था
sealed-malformed = इस फ़ाइल की सामग्री पढ़ी नहीं जा सकती: { $detail }
sealed-too_large = यह फ़ाइल Homeward की बनाई किसी भी सील फ़ाइल से बड़ी है
sealed-bad_key_text = यह Homeward की सार्वजनिक कुंजी नहीं है (hwkey1: और उसके बाद 128 हेक्स अंक होने चाहिए)
sealed-other_device = यह फ़ाइल डिवाइस { $device } के लिए है, इस फ़ोन के लिए नहीं: कुछ नहीं बदला
sealed-replay = यह फ़ाइल इस फ़ोन में पहले से मौजूद जानकारी से पुरानी है (दोबारा भेजी गई): कुछ नहीं बदला
sealed-ahead = यह फ़ाइल ऐसे फ़ोन के लिए बनी है जो इस फ़ोन से आगे है (इसमें पहले की जानकारी नहीं है): नई फ़ाइल माँगें, या सिंक करें; कुछ नहीं बदला

## Urgent events by SMS on a supervisor's phone (issue 14)
cli-urgent-none = SMS से आई कोई ज़रूरी घटना अपने रिकॉर्ड की प्रतीक्षा में नहीं है (ये पर्यवेक्षकों के लिए सिंक के साथ आती हैं)
cli-urgent-summons = { $child } ({ $case }): अदालत का समन { $received } को मिला, सुनवाई { $hearing } को। { $by } का SMS, { $at } पर; पूरा रिकॉर्ड अभी नहीं आया
cli-urgent-incident = { $child } ({ $case }): { $on } को उत्पीड़न की घटना, { $police }। { $by } का SMS, { $at } पर; पूरा रिकॉर्ड अभी नहीं आया
cli-urgent-police-yes = पुलिस को सूचना दी गई
cli-urgent-police-no = पुलिस को सूचना नहीं दी गई

## Field app: files instead of a network, urgent SMS, this phone's key (issue 14)
ui-files-title = नेटवर्क नहीं? फ़ाइल ले जाएँ
ui-files-hint = जहाँ कई दिन सिग्नल नहीं मिलता, वहाँ आपके बदलाव फ़ाइल बनकर जा सकते हैं: पेन ड्राइव पर, ब्लूटूथ से या किसी साथी के फ़ोन पर।
ui-bundle-share = मेरे बदलाव फ़ाइल के रूप में भेजें
ui-bundle-making = फ़ाइल बन रही है…
ui-bundle-saved = फ़ाइल सहेजी गई:
ui-bundle-holds = इसमें { $cases } के { $changes }, { $outcomes } और { $pages } हैं: कुल { $size }।
ui-bundle-cases = { $n ->
    [one] { $n } मामले
   *[other] { $n } मामलों
}
ui-bundle-outcomes = { $n ->
    [0] कोई स्पॉट-चेक नतीजा नहीं
    [one] { $n } स्पॉट-चेक नतीजा
   *[other] { $n } स्पॉट-चेक नतीजे
}
ui-bundle-pages = { $n ->
    [0] किसी प्रति का कोई पेज नहीं
    [one] एक प्रति का { $n } पेज
   *[other] प्रतियों के { $n } पेज
}
ui-bundle-safe = जो भी यह फ़ाइल ले जाए, वह न इसे पढ़ सकता है, न बदल सकता है।
ui-bundle-next = इसे अपने पर्यवेक्षक को दें, या किसी को भी जो सिग्नल वाली जगह जा रहा हो: सर्वर इसे ले लेता है। अगला सिंक ये बदलाव दोबारा तभी भेजता है जब फ़ाइल कभी न पहुँची हो।
ui-bundle-nothing = भेजने को कुछ नहीं: इस फ़ोन पर किया हर बदलाव सर्वर के पास पहले से है।
ui-receive = फ़ाइल लें
ui-receive-hint = सर्वर की इस फ़ोन के लिए बनाई फ़ाइल (आपके पर्यवेक्षक लाते हैं), या किसी साथी की फ़ाइल जो सर्वर तक पहुँचानी है।
ui-receive-reading = फ़ाइल पढ़ी जा रही है…
ui-received-applied = { $n ->
    [0] फ़ाइल लागू हुई: इस फ़ोन के लिए कुछ नया नहीं।
   *[other] फ़ाइल लागू हुई: { $n } अद्यतन मिले।
}
ui-received-confirmed = { $n ->
   *[other] सर्वर ने यहाँ किए { $n } बदलाव पाने की पुष्टि की: वे दोबारा नहीं भेजे जाएँगे।
}
ui-received-kept = अगले सिंक में सर्वर तक पहुँचाने के लिए रख ली गई। यह फ़ोन इसे पढ़ नहीं सकता।
ui-received-already = यह फ़ाइल पहले से इस फ़ोन पर है और सर्वर तक पहुँचने की प्रतीक्षा में है।
ui-received-case = मामला आ गया: { $name }, दूसरे फ़ोन से भेजा गया। अगले सिंक में सर्वर को भी यह उसी फ़ोन के हस्ताक्षर के साथ मिलता है।
ui-received-refused = अस्वीकार, कुछ नहीं बदला:
ui-relay-title = सर्वर तक पहुँचाने वाली फ़ाइलें
ui-relay-none = सर्वर तक पहुँचाने के लिए कोई फ़ाइल नहीं।
ui-relay-waiting = अगले सिंक की प्रतीक्षा में
ui-relay-refused = सर्वर ने अस्वीकार की: { $reason }
ui-relay-kind-device_bundle = दूसरे फ़ोन पर किए गए बदलाव
ui-relay-kind-case_export = दूसरे फ़ोन से भेजा गया मामला
ui-relay-remove = हटाएँ
ui-relay-removed = फ़ाइल इस फ़ोन से हटा दी गई।
ui-relay-got = { $date } को मिली · { $size }
ui-relay-sent = { $n ->
    [one] { $n } फ़ाइल सर्वर तक पहुँचा दी गई।
   *[other] { $n } फ़ाइलें सर्वर तक पहुँचा दी गईं।
}
ui-relay-sent-refused = { $n ->
    [one] सर्वर ने पहुँचाई गई { $n } फ़ाइल अस्वीकार की: नीचे देखें।
   *[other] सर्वर ने पहुँचाई गई { $n } फ़ाइलें अस्वीकार कीं: नीचे देखें।
}
ui-seal-title = सील फ़ाइल के रूप में भेजें
ui-seal-hint = पूरा मामला एक फ़ाइल में, जिसे केवल पाने वाला खोल सकता है, जब नेटवर्क न हो।
ui-seal-to-server = सर्वर को
ui-seal-to-phone = किसी साथी के फ़ोन को
ui-seal-key = साथी के फ़ोन की कुंजी
ui-seal-key-hint = वह इसे सेटिंग में "इस फ़ोन की कुंजी" के नीचे पाती है और आपको भेजती है।
ui-seal-key-needed = साथी के फ़ोन की कुंजी चिपकाएँ।
ui-seal-send = सील फ़ाइल बनाएँ
ui-seal-saved = सील फ़ाइल सहेजी गई:
ui-seal-safe-server = इसे केवल सर्वर खोल सकता है: जो भी इसे ले जाए, वह न इसे पढ़ सकता है, न बदल सकता है।
ui-seal-safe-phone = इसे केवल वही फ़ोन खोल सकता है: जो भी इसे ले जाए, वह न इसे पढ़ सकता है, न बदल सकता है।
ui-sms-title = SMS से भेजें
ui-sms-hint = जब केवल SMS जाता हो: पर्यवेक्षक यह समन या घटना आज ही देख लेते हैं; पूरा रिकॉर्ड अगले सिंक या फ़ाइल से आता है।
ui-sms-summons = समन { $received } को मिला, सुनवाई { $hearing } को
ui-sms-incident = घटना { $on } को
ui-sms-make = SMS से भेजें
ui-sms-text = संदेश ({ $chars } अक्षर)
ui-sms-number = किसे
ui-sms-open = SMS ऐप में खोलें
ui-sms-copy = कॉपी करें
ui-sms-copied = कॉपी हो गया।
ui-sms-no-name = इस संदेश में कोई नाम नहीं है: केवल मामला संख्या, घटना का प्रकार और उसकी तारीख़ें, और एक कोड जिसे सर्वर जाँचता है।
ui-key-title = इस फ़ोन की कुंजी
ui-key-hint = कोई साथी इसे चिपकाकर इस फ़ोन को सील फ़ाइल में मामला भेज सकता है। यह अपने आप कुछ नहीं खोलती: इसे देना सुरक्षित है।
ui-key-copy = कॉपी करें
ui-key-none = इस फ़ोन की अभी कोई कुंजी नहीं है: अगला सिंक इसे बनाता है।
ui-revoked-removed-title = यह फ़ोन Homeward से हटा दिया गया है
ui-revoked-removed = कोर टीम ने { $date } को यह फ़ोन Homeward से हटा दिया।
ui-revoked-removed-undated = कोर टीम ने यह फ़ोन Homeward से हटा दिया।
ui-revoked-leftover = { $changes ->
    [one] जो { $changes } बदलाव अभी सर्वर पर नहीं था, वह एक सील फ़ाइल में रखा गया है जिसे केवल सर्वर पढ़ सकता है:
   *[other] जो { $changes } बदलाव अभी सर्वर पर नहीं थे, वे एक सील फ़ाइल में रखे गए हैं जिसे केवल सर्वर पढ़ सकता है:
}
ui-revoked-leftover-do = इसे अपने पर्यवेक्षक या व्यवस्थापक को दें, या फ़ोन फिर से जोड़े जाने के बाद यह अगले सिंक के साथ चली जाती है।
ui-revoked-nothing-left = इस फ़ोन पर किया ऐसा कुछ नहीं था जो सर्वर पर न हो।
ui-revoked-deleted = इस फ़ोन पर बाकी सब कुछ मिटा दिया गया।
ui-revoked-all-deleted = इस फ़ोन पर सब कुछ मिटा दिया गया।
ui-revoked-unverified-title = सर्वर के जवाब की पुष्टि नहीं हो सकी
ui-revoked-unverified = सर्वर के जवाब की पुष्टि नहीं हो सकी; कुछ भी नहीं मिटाया गया। काम जारी रखें: अगला सिंक फिर पूछता है।
ui-err-sealed = यह फ़ाइल अस्वीकार हुई। कुछ नहीं बदला।
ui-err-unverified_revocation = सर्वर के जवाब की पुष्टि नहीं हो सकी; कुछ भी नहीं मिटाया गया। काम जारी रखें: अगला सिंक फिर पूछता है।
ui-err-urgent = इस रिकॉर्ड का SMS नहीं बन सका। इस फ़ोन को SMS कुंजी नेटवर्क वाले सिंक में मिलती है।
ui-err-not_saved = फ़ाइल सहेजी नहीं जा सकी।

## Bundles, files received by hand, the relay queue and the keys on the command line (issue 14)
cli-bundle-made = बंडल { $seq } { $file } में लिखा गया: { $cases ->
    [one] 1 मामले
   *[other] { $cases } मामलों
} के { $changes } बदलाव, { $outcomes } स्पॉट-चेक नतीजे और प्रतियों के { $pages } पेज, { $bytes } बाइट। यह सर्वर के लिए सील है: जो भी इसे ले जाए, वह न इसे पढ़ सकता है, न बदल सकता है। इसे अपने सुपरवाइज़र को या नेटवर्क वाली जगह जा रहे किसी को दें; आपका अगला सिंक ये बदलाव दोबारा तभी भेजता है जब सर्वर को फ़ाइल न मिली हो
cli-bundle-nothing = ले जाने को कुछ नहीं: इस डिवाइस पर किया हर बदलाव सर्वर के पास है, इसलिए कोई फ़ाइल नहीं लिखी गई
cli-received-applied = सर्वर की फ़ाइल लागू हुई: { $documents } मामले और { $changes } बदलाव आए; सर्वर यहाँ किए { $confirmed } बदलावों की पुष्टि करता है
cli-received-kept = अगले सिंक में सर्वर तक पहुँचाने के लिए रखी गई ({ $kind } { $id }); यह डिवाइस इसे पढ़ नहीं सकता
cli-received-already = यह फ़ाइल पहले से पहुँचाने के लिए रखी है ({ $kind } { $id }): दोबारा नहीं रखी गई
cli-relay-none = सर्वर तक पहुँचाने के लिए कोई फ़ाइल नहीं है
cli-relay-row = { $id }  { $kind }, { $at } को मिली, { $bytes } बाइट: अगले सिंक में सर्वर को जाएगी
cli-relay-row-refused = { $id }  { $kind }, { $at } को मिली, { $bytes } बाइट: सर्वर ने अस्वीकार की ({ $reason }), दोबारा नहीं भेजी जाएगी; `homeward relay drop { $id }` इसे हटाता है
cli-relay-dropped = { $kind } { $id } इस डिवाइस से हटाई गई
cli-keys-device = डिवाइस { $device }, कुंजी { $id } (यह पाठ उस साथी को दें जो इस फ़ोन को मामला भेजती है):
    { $text }
cli-keys-none = इस डिवाइस की अभी कोई कुंजी नहीं: नेटवर्क वाला अगला सिंक इसे बनाता है
cli-keys-no-server = सर्वर की अभी कोई कुंजी नहीं: एक बार नेटवर्क के साथ सिंक करें
cli-keys-server = सर्वर कुंजी { $id }, { $since } से उपयोग में
cli-sync-relayed = सर्वर तक पहुँचाई: { $user } (डिवाइस { $device }) की { $kind } { $id }, { $changes } बदलाव और { $pages } पेज सहेजे गए
cli-sync-relayed-already = सर्वर तक पहुँचाई: { $user } (डिवाइस { $device }) की { $kind } { $id } पहले से वहाँ थी; कुछ भी दोबारा नहीं सहेजा गया
cli-sync-relayed-case-refused = उस फ़ाइल में सर्वर ने मामला { $case } अस्वीकार किया और उसका कुछ भी नहीं सहेजा: { $reason }
cli-sync-relay-refused = सर्वर ने पहुँचाई गई फ़ाइल { $id } अस्वीकार की: { $reason }; यह इस डिवाइस पर रहती है और दोबारा नहीं भेजी जाती (`homeward relay drop { $id }` इसे हटाता है)
cli-revoked-leftover = सर्वर ने यह डिवाइस बंद किया (उसके हस्ताक्षरित कथन की पुष्टि हुई)। जो { $changes } बदलाव, { $outcomes } स्पॉट-चेक नतीजे और प्रतियों के { $pages } पेज सर्वर के पास नहीं थे, वे { $file } में सर्वर के लिए सील हैं: वह फ़ाइल केवल सर्वर पढ़ सकता है। { $dir } में बाकी सब मिटा दिया गया। फ़ाइल अपने सुपरवाइज़र या व्यवस्थापक को दें (homeward-sync-server bundle import), या इसी फ़ोल्डर में फिर से पंजीकरण करें: अगला सिंक इसे पहुँचा देता है
cli-err-unverified_revocation = सर्वर ने जवाब दिया कि यह डिवाइस बंद कर दिया गया है, पर उस जवाब की पुष्टि नहीं हो सकी ({ $detail }): कुछ भी मिटाया नहीं गया, इस डिवाइस के रिकॉर्ड रखे हैं और अगला सिंक फिर पूछता है; ऐसा बार-बार हो तो अपने सुपरवाइज़र को बताएँ

## A supervisor's Today: urgent events that came by SMS (issue 14)
ui-urgent-sms-title = ज़रूरी, SMS से
ui-urgent-sms-summons = अदालत का समन { $received } को मिला, सुनवाई { $hearing } को
ui-urgent-sms-incident = { $date } को उत्पीड़न, पुलिस को सूचना नहीं दी गई
ui-urgent-sms-incident-police = { $date } को उत्पीड़न, पुलिस को सूचना दी गई
ui-urgent-sms-from = { $name } का SMS, { $at }। पूरा रिकॉर्ड अभी नहीं आया।
