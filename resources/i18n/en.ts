<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
    <context>
        <name>CallSession</name>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="740" />
            <source>分类「{0}」不在目录中，请手动选择</source>
            <translation>The category "{0}" is not in the catalogue; choose one by hand</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="757" />
            <source>已填写「{0}」：再次采用将替换为「{1}」</source>
            <translation>You entered "{0}": accept again to replace it with "{1}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="779" />
            <source>时间：{0}</source>
            <translation>Time: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1021" />
            <source>已设为并单目标：工单 {0}；按 Ctrl+M 并单。</source>
            <translation>Merge target set: ticket {0}; press Ctrl+M to merge.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1028" />
            <source>关联工单：{0}</source>
            <translation>Linked ticket: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1057" />
            <source>本次来电已结束：按 Ctrl+N 开始下一通</source>
            <translation>This call has ended: press Ctrl+N for the next one</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1059" />
            <location filename="../../agent_app/ui/call_session.py" line="1197" />
            <source>尚未开始受理：按 Ctrl+N 新来电</source>
            <translation>No call in progress: press Ctrl+N for a new call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1065" />
            <source>请先在来电历史中选中该来电人的工单</source>
            <translation>First select one of this caller's tickets in the call history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1071" />
            <source>请先在诉求描述中记下来电人补充或催办的内容，再按「{0}」</source>
            <translation>First write down what the caller adds or asks in the description, then press "{0}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1113" />
            <source>工单 {0}：已记录{1}，同步后送达中心（该工单由其他席位受理；本次来电已办结）</source>
            <translation>Ticket {0}: {1} recorded; it reaches the centre with the next sync (the ticket was taken at another seat; this call is handled)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1118" />
            <source>工单 {0}：已记录{1}（本次来电已办结，未新建工单）</source>
            <translation>Ticket {0}: {1} recorded (this call is handled; no new ticket)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1127" />
            <source>未能记录{0}：{1}</source>
            <translation>Could not record {0}: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1132" />
            <source>未能记录{0}（程序内部错误，已记录到日志），请重试。</source>
            <translation>Could not record {0} (internal error, written to the log); please try again.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1204" />
            <source>正在加载分类目录和地址库，请稍候再派单</source>
            <translation>Loading the category catalogue and gazetteer; wait a moment before dispatching</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1262" />
            <source>保存失败：{0}。表单内容仍在，请重试。</source>
            <translation>Saving failed: {0}. The form is kept; try again.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1267" />
            <source>保存失败（程序内部错误，已记录到日志）。表单内容仍在，请重试或联系技术支持。</source>
            <translation>Saving failed (internal error, logged). The form is kept; try again or contact technical support.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1310" />
            <source>草稿自动保存失败（{0}），请检查磁盘空间；表单内容仍在。</source>
            <translation>Draft autosave failed ({0}); check the free disk space. The form is kept.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1343" />
            <source>告知进展</source>
            <translation>Progress told</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1344" />
            <source>补充</source>
            <translation>Add info</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/call_session.py" line="1345" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
    </context>
    <context>
        <name>CallbackForm</name>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="293" />
            <location filename="../../agent_app/ui/worklists_forms.py" line="367" />
            <source>显示号码回拨</source>
            <translation>Reveal number to call back</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="295" />
            <source>显示完整号码用于本次回访（先记入审计日志）</source>
            <translation>Show the full number for this callback (written to the audit log first)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="296" />
            <source>已解决</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="297" />
            <source>未解决</source>
            <translation>Not resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="317" />
            <source>市民原话（转给承办单位，号码自动隐去）</source>
            <translation>The citizen's words (passed to the unit; numbers are masked)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="320" />
            <source>记录回访结果</source>
            <translation>Record callback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="327" />
            <source>单位反馈</source>
            <translation>Unit's reply</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="328" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="329" />
            <source>是否解决</source>
            <translation>Resolved?</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="330" />
            <source>满意度</source>
            <translation>Satisfaction</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="331" />
            <source>市民意见</source>
            <translation>Citizen's words</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="360" />
            <source>承办单位尚未反馈（已超过办理时限）</source>
            <translation>The unit has not replied (the time limit has passed)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="362" />
            <source>{0}　回拨号码：{1}</source>
            <translation>{0}   call back on: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="367" />
            <source>正在记入审计…</source>
            <translation>Writing the audit log…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="398" />
            <source>单位反馈后才能记录回访结果；可先回拨告知市民进展</source>
            <translation>A callback can be recorded once the unit replies; you may call the citizen with the progress now</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="400" />
            <source>请选择是否解决和满意度</source>
            <translation>Choose resolved or not and the satisfaction</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="402" />
            <source>记录后工单办结</source>
            <translation>Recording closes the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="404" />
            <source>记录后转二次办理：退回承办单位，重新计算时限</source>
            <translation>Recording reopens it: back to the unit with a new time limit</translation>
        </message>
    </context>
    <context>
        <name>CallbackView</name>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="734" />
            <source>没有待回访的工单</source>
            <translation>No tickets waiting for a callback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="748" />
            <source>回访</source>
            <translation>Follow-up call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="751" />
            <source>正在读取…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="751" />
            <source>请选择一张工单</source>
            <translation>Select a ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="757" />
            <source>，第 {0} 次重办</source>
            <translation>, re-handled {0}×</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="759" />
            <source>工单 {0} · {1}{2}
{3} · 时限 {4}</source>
            <translation>Ticket {0} · {1}{2}
{3} · due {4}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="768" />
            <source>（保密）</source>
            <translation> (confidential)</translation>
        </message>
    </context>
    <context>
        <name>CallerHistory</name>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="73" />
            <source>来电历史</source>
            <translation>Caller history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="84" />
            <source>双击打开工单详情</source>
            <translation>Double-click to open the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="86" />
            <source>告知进展</source>
            <translation>Progress told</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="88" />
            <source>已向来电人告知所选工单的办理进展：记录在该工单上，本次来电办结，不新建工单</source>
            <translation>The caller was told the selected ticket's progress: recorded on that ticket; this call is handled, no new ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="90" />
            <source>补充</source>
            <translation>Add info</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="92" />
            <source>把诉求描述作为来电人的补充内容追加到所选工单，并送达承办单位</source>
            <translation>Add the description to the selected ticket as the caller's new information; it reaches the handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="94" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="96" />
            <source>为所选工单记录一次催办（诉求描述为催办说明），并送达承办单位</source>
            <translation>Record a chase on the selected ticket (the description is its note); it reaches the handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="143" />
            <source>共 {0} 件，未办结 {1} 件；近{2}天来电 {3} 次，投诉 {4} 次</source>
            <translation>{0} tickets, {1} open; {3} calls and {4} complaints in the last {2} days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="145" />
            <source>（重复来电）</source>
            <translation> (repeat caller)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="148" />
            <source>仅本席记录：{0}</source>
            <translation>This seat's records only: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="149" />
            <source>中心暂时查询不到：只列出本席受理的工单，其他席位受理的可能未列出。</source>
            <translation>The centre cannot be reached now: only tickets taken at this seat are listed; tickets taken at other seats may be missing.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="151" />
            <source>（正在查询中心…）</source>
            <translation> (asking the centre…)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="153" />
            <source>含其他席位受理的 {0} 件（来自中心）</source>
            <translation>Includes {0} taken at other seats (from the centre)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/caller_history.py" line="157" />
            <source>来电历史 ({0})</source>
            <translation>Caller history ({0})</translation>
        </message>
    </context>
    <context>
        <name>CategoryPicker</name>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="41" />
            <source>最近</source>
            <translation>Recent</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="42" />
            <source>常用</source>
            <translation>Frequent</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="43" />
            <source>拼音首字母</source>
            <translation>Pinyin initials</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="44" />
            <source>拼音</source>
            <translation>Pinyin</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="45" />
            <source>关键词</source>
            <translation>Keyword</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="70" />
            <source>{path}　（{tag}）</source>
            <translation>{path}  ({tag})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/category_picker.py" line="90" />
            <source>分类：输入名称、关键词或拼音首字母，回车选定</source>
            <translation>Category: type a name, keyword or pinyin initials, Enter to select</translation>
        </message>
    </context>
    <context>
        <name>DescriptionOffer</name>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="133" />
            <source>草拟描述</source>
            <translation>Drafted description</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="136" />
            <source>来源 ▾</source>
            <translation>Sources ▾</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="138" />
            <source>每句出自通话转写的哪一行：选中即在转写中显示</source>
            <translation>The transcript line each sentence came from: choose one to show it in the transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="142" />
            <source>采用 ({0})</source>
            <translation>Accept ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="143" />
            <source>追加到诉求内容之后，不替换已填写的内容</source>
            <translation>Added after the description; what was typed is never replaced</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="145" />
            <source>忽略</source>
            <translation>Ignore</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="146" />
            <source>本次来电不再提示这几句</source>
            <translation>Do not offer these sentences again in this call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/description_offer.py" line="183" />
            <source>{time} {sentence}
    来自：“{heard}”</source>
            <translation>{time} {sentence}
    from: “{heard}”</translation>
        </message>
    </context>
    <context>
        <name>DispatchPanel</name>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="47" />
            <source>派单</source>
            <translation>Dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="48" />
            <source>主办单位</source>
            <translation>Lead unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="49" />
            <source>协办单位，多个用顿号分隔</source>
            <translation>Supporting units, separated by commas</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="51" />
            <source>办理时限：—</source>
            <translation>Time limit: —</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="53" />
            <source>派单 (Ctrl+Enter)</source>
            <translation>Dispatch (Ctrl+Enter)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="54" />
            <source>直接答复 (Ctrl+D)</source>
            <translation>Answer directly (Ctrl+D)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="55" />
            <source>并单 (Ctrl+M)</source>
            <translation>Merge (Ctrl+M)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="57" />
            <source>不予受理 (Ctrl+U)：告知途径…</source>
            <translation>Not accepted (Ctrl+U): refer to…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="62" />
            <source>一键转接</source>
            <translation>Quick transfer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="68" />
            <source>撤销转接 (Ctrl+Shift+Z)</source>
            <translation>Undo transfer (Ctrl+Shift+Z)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="76" />
            <source>即时转至{0}{1}，并记录转接时间</source>
            <translation>Transfer to {0} {1} now and record the transfer time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="83" />
            <source>主办</source>
            <translation>Lead</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="84" />
            <source>协办</source>
            <translation>Support</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="118" />
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="138" />
            <source>此类诉求请先转{0}{1}（{2}），再记录工单</source>
            <translation>Transfer this kind of request to {0} {1} first ({2}), then record the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="153" />
            <source>即将记录转{0}：5 秒内可撤销</source>
            <translation>Recording the transfer to {0}: undo within 5 seconds</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/dispatch_panel.py" line="156" />
            <source>当前没有正在受理的来电：再按一次 {0} 确认记录转{1}</source>
            <translation>No call in progress: press {0} again to record a transfer to {1}</translation>
        </message>
    </context>
    <context>
        <name>DisputeForm</name>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="108" />
            <source>选择建议单位或输入任一单位</source>
            <translation>Pick a proposed unit or type any unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="110" />
            <source>异议成立，改派</source>
            <translation>Uphold, re-dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="114" />
            <source>异议不成立的理由（首接负责）</source>
            <translation>Why the objection fails (the first unit keeps it)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="115" />
            <source>驳回异议</source>
            <translation>Reject objection</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="125" />
            <source>异议成立：改派至</source>
            <translation>Objection upheld: re-dispatch to</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="126" />
            <source>异议不成立：原单位继续办理</source>
            <translation>Objection rejected: the unit keeps the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="156" />
            <source>{0}（建议）</source>
            <translation>{0} (proposed)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="166" />
            <source>按分类和属地建议：{0}</source>
            <translation>Proposed by category and place: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="168" />
            <source>分类目录没有其他建议单位，请选择或输入承办单位</source>
            <translation>The catalogue proposes no other unit; pick or type one</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="172" />
            <source>正在读取建议单位…</source>
            <translation>Reading the proposed units…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="187" />
            <source>改派给 {0}，按紧急程度重新计算办理时限</source>
            <translation>Re-dispatch to {0} with a new time limit for its urgency</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="209" />
            <source>重新派单至（可仍派原单位督办）</source>
            <translation>Re-dispatch to (its own unit again for supervision)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="211" />
            <source>重新派单</source>
            <translation>Re-dispatch</translation>
        </message>
    </context>
    <context>
        <name>DomainNames</name>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="35" />
            <source>电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="36" />
            <source>网络平台</source>
            <translation>Web platform</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="37" />
            <source>微信</source>
            <translation>WeChat</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="38" />
            <source>App</source>
            <translation>App</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="39" />
            <source>短信</source>
            <translation>SMS</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="40" />
            <source>信件</source>
            <translation>Letter</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="42" />
            <source>咨询</source>
            <translation>Inquiry</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="43" />
            <source>求助</source>
            <translation>Help request</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="44" />
            <source>投诉</source>
            <translation>Complaint</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="45" />
            <source>举报</source>
            <translation>Report</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="46" />
            <source>建议</source>
            <translation>Suggestion</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="48" />
            <source>直接答复</source>
            <translation>Answer directly</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="49" />
            <source>派单</source>
            <translation>Dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="50" />
            <source>转紧急专线</source>
            <translation>Transfer to emergency line</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="51" />
            <source>不予受理</source>
            <translation>Not accepted</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="52" />
            <source>并单</source>
            <translation>Merge</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="54" />
            <source>公安报警</source>
            <translation>police</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="55" />
            <source>消防火警</source>
            <translation>fire</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="56" />
            <source>医疗急救</source>
            <translation>ambulance</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="57" />
            <source>交通事故</source>
            <translation>traffic accidents</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="59" />
            <source>信访渠道</source>
            <translation>Petitions (xinfang)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="60" />
            <source>诉讼</source>
            <translation>Litigation</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="61" />
            <source>仲裁</source>
            <translation>Arbitration</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="62" />
            <source>纪检监察</source>
            <translation>Discipline inspection</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="63" />
            <source>行政复议</source>
            <translation>Administrative review</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="64" />
            <source>政府信息公开</source>
            <translation>Government information disclosure</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="65" />
            <source>涉及国家秘密、商业秘密、个人隐私</source>
            <translation>State secrets, trade secrets or personal privacy</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="66" />
            <source>超出职责范围（市场或社会渠道）</source>
            <translation>Outside our remit (market or social channels)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="67" />
            <source>违法违序诉求（劝导教育）</source>
            <translation>Unlawful request (advise the caller)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="69" />
            <source>紧急（2小时）</source>
            <translation>Emergency (2 hours)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="70" />
            <source>水电气热（24小时）</source>
            <translation>Water, power, gas, heating (24 hours)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="71" />
            <source>一般（7天）</source>
            <translation>Ordinary (7 days)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="72" />
            <source>疑难复杂（15天）</source>
            <translation>Complex (15 days)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="74" />
            <source>受理中</source>
            <translation>In intake</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="75" />
            <source>直接答复办结</source>
            <translation>Answered and closed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="76" />
            <source>已转紧急专线</source>
            <translation>Transferred to emergency line</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="77" />
            <source>不予受理已告知</source>
            <translation>Not accepted, caller informed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="78" />
            <source>重复诉求并单</source>
            <translation>Merged as duplicate</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="79" />
            <source>派单前会商</source>
            <translation>Pre-dispatch consultation</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="80" />
            <source>已派单</source>
            <translation>Dispatched</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="81" />
            <source>已签收</source>
            <translation>Signed for</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="82" />
            <source>派单异议</source>
            <translation>Dispatch disputed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="83" />
            <source>异议审核</source>
            <translation>Dispute review</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="84" />
            <source>已联系诉求人</source>
            <translation>Caller contacted</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="85" />
            <source>办理中</source>
            <translation>In progress</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="86" />
            <source>协调办理</source>
            <translation>Coordinating</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="87" />
            <source>申请延期</source>
            <translation>Extension requested</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="88" />
            <source>已反馈</source>
            <translation>Replied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="89" />
            <source>回访</source>
            <translation>Follow-up call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="90" />
            <source>已办结</source>
            <translation>Closed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="91" />
            <source>重办/督办</source>
            <translation>Reopened / supervised</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="93" />
            <source>话务员</source>
            <translation>Operator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="94" />
            <source>班长</source>
            <translation>Shift lead</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="95" />
            <source>培训师</source>
            <translation>Trainer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="149" />
            <source>{0}小时</source>
            <translation>{0} hours</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="151" />
            <source>{0}天</source>
            <translation>{0} days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="153" />
            <source>{0}个工作日</source>
            <translation>{0} working days</translation>
        </message>
    </context>
    <context>
        <name>DuplicateBar</name>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="38" />
            <source>设为并单目标</source>
            <translation>Set as merge target</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="39" />
            <source>并入这张在办工单（随后按 Ctrl+M 并单）</source>
            <translation>Merge into this open ticket (then press Ctrl+M to merge)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="40" />
            <source>关联</source>
            <translation>Link</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="41" />
            <source>照常受理，在备注中注明关联工单号</source>
            <translation>Take the call as usual and note the linked ticket number in the notes</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="42" />
            <source>忽略</source>
            <translation>Ignore</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="71" />
            <source>&lt;b&gt;可能重复：&lt;/b&gt;工单 {number}（{category}，{place}，{when} 受理，在办）&lt;br&gt;{description}&lt;br&gt;&lt;span style='color:#8a4b00'&gt;{why}&lt;/span&gt;</source>
            <translation>&lt;b&gt;Possible duplicate:&lt;/b&gt; ticket {number} ({category}, {place}, taken {when}, open)&lt;br&gt;{description}&lt;br&gt;&lt;span style='color:#8a4b00'&gt;{why}&lt;/span&gt;</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="75" />
            <source>未分类</source>
            <translation>Uncategorised</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="76" />
            <source>地点未定</source>
            <translation>Place unknown</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/duplicate_bar.py" line="80" />
            <source>；另有 {n} 张相似</source>
            <translation>; {n} more similar</translation>
        </message>
    </context>
    <context>
        <name>ExtensionForm</name>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="231" />
            <source>批准延期</source>
            <translation>Approve extension</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="235" />
            <source>不批准的理由</source>
            <translation>Why it is denied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="236" />
            <source>不批准</source>
            <translation>Deny</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="261" />
            <source>申请延期 {0} 个工作日；正在按工作日历计算新时限…</source>
            <translation>{0} working days asked; computing the new due time from the working-day calendar…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="263" />
            <source>申请没有注明延期天数，只能不批准</source>
            <translation>The request names no number of days; it can only be denied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="265" />
            <source>申请延期 {0} 个工作日：时限由 {1} 延至 {2}（按工作日历）</source>
            <translation>{0} working days asked: due {1} becomes {2} (working-day calendar)</translation>
        </message>
    </context>
    <context>
        <name>KbFlagsModel</name>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="120" />
            <source>已处理</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="120" />
            <source>待处理</source>
            <translation>Pending</translation>
        </message>
    </context>
    <context>
        <name>KbFlagsView</name>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="45" />
            <source>条目有误</source>
            <translation>Wrong article</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="46" />
            <source>缺少答复</source>
            <translation>Missing answer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="49" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="50" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="51" />
            <source>知识条目</source>
            <translation>Article</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="52" />
            <source>说明</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="53" />
            <source>席位</source>
            <translation>Seat</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="54" />
            <source>工号</source>
            <translation>Operator ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="55" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="174" />
            <source>&lt;b&gt;知识库反馈&lt;/b&gt;（话务员标记的有误条目和缺少的答复）</source>
            <translation>&lt;b&gt;Knowledge-base feedback&lt;/b&gt; (articles operators flagged as wrong, and missing answers)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="177" />
            <source>显示已处理</source>
            <translation>Show resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="178" />
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="179" />
            <source>标记已处理</source>
            <translation>Mark resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_flags_view.py" line="229" />
            <source>待处理 {n} 条</source>
            <translation>{n} pending</translation>
        </message>
    </context>
    <context>
        <name>KnowledgePane</name>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="87" />
            <source>［示例内容］</source>
            <translation>[Sample] </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="160" />
            <source>搜索知识库（留空则按通话内容自动推荐）</source>
            <translation>Search the knowledge base (leave empty for suggestions from the call)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="161" />
            <location filename="../../agent_app/ui/kb_pane.py" line="236" />
            <source>根据通话内容推荐</source>
            <translation>Suggested from the call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="175" />
            <source>插入答复</source>
            <translation>Insert answer</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="176" />
            <source>直接答复办结</source>
            <translation>Answer and close</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="177" />
            <source>标记有误</source>
            <translation>Flag as wrong</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="178" />
            <source>反馈缺失</source>
            <translation>Report missing</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="233" />
            <source>搜索结果</source>
            <translation>Search results</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="268" />
            <source>知识库检索失败：</source>
            <translation>Knowledge-base search failed: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="286" />
            <source>该条目是示例内容，未经主管单位核实，不可用于答复</source>
            <translation>This article is sample content, not verified by the responsible authority: it cannot be used in a reply</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="290" />
            <source>暂无匹配的知识条目</source>
            <translation>No matching articles</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="301" />
            <source>示例内容，不可用于答复：未经主管单位核实，仅供了解该主题。</source>
            <translation>Sample content, not for replies: not verified by the responsible authority; for reference on the topic only.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="305" />
            <source>答复口径</source>
            <translation>Answer script</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="305" />
            <source>答复口径（示例内容）</source>
            <translation>Answer script (sample content)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="313" />
            <source>承办单位：</source>
            <translation>Handling unit: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="315" />
            <source>依据：</source>
            <translation>Basis: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="360" />
            <source>未找到合适的知识条目</source>
            <translation>No suitable article found</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="399" />
            <source>通话转写</source>
            <translation>Call transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/kb_pane.py" line="407" />
            <source>知识库</source>
            <translation>Knowledge base</translation>
        </message>
    </context>
    <context>
        <name>LeadDesk</name>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="37" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="446" />
            <source>派单工单</source>
            <translation>Dispatched tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="38" />
            <source>派单次数</source>
            <translation>Dispatches</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="39" />
            <source>按时签收</source>
            <translation>Signed in time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="40" />
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="49" />
            <source>异议成立</source>
            <translation>Objections upheld</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="41" />
            <source>回访工单</source>
            <translation>Tickets called back</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="42" />
            <source>已解决</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="43" />
            <source>满意</source>
            <translation>Satisfied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="329" />
            <source>结束日期早于开始日期，请重新选择</source>
            <translation>The end date is before the start date; choose again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="358" />
            <source>全部</source>
            <translation>All</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="416" />
            <source>已导出 {0} 张工单到 {1}</source>
            <translation>Exported {0} tickets to {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="476" />
            <source>冲突记录在中心；连接中心后可处理</source>
            <translation>Conflicts are kept at the centre; connect to the centre to settle them</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="494" />
            <source>中心暂不可达，同步冲突记录在中心；连接恢复后可查看和处理（{0}）</source>
            <translation>The centre cannot be reached; sync conflicts are kept there and can be seen and settled once it is back ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="518" />
            <source>此冲突已处理，不能再次处理</source>
            <translation>This conflict is settled; it cannot be settled again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="526" />
            <source>冲突 {0} 已处理（工单 {1}）</source>
            <translation>Conflict {0} settled (ticket {1})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="536" />
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="690" />
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="773" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="639" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1181" />
            <source>质检记录在中心；连接中心后可评分</source>
            <translation>Quality checks are kept at the centre; connect to the centre to score</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="645" />
            <source>退回时请在备注中写明要改正的内容</source>
            <translation>When returning, say in the comment what to correct</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="665" />
            <source>工单 {0} 已退回给话务员（{1} 分）</source>
            <translation>Ticket {0} returned to the operator ({1} points)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="667" />
            <source>工单 {0} 质检已保存（{1} 分）</source>
            <translation>Ticket {0}: quality check saved ({1} points)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="682" />
            <source>中心暂不可达，质检未保存；请稍后再次保存（{0}）</source>
            <translation>The centre cannot be reached, so the check was not saved; save it again later ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="735" />
            <source>退回的工单记录在中心；需要配置中心</source>
            <translation>Returned tickets are kept at the centre; a centre must be configured</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/presenters.py" line="765" />
            <source>工单 {0} 已重新提交</source>
            <translation>Ticket {0} resubmitted</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="63" />
            <source>先进类</source>
            <translation>Leading</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="64" />
            <source>进步类</source>
            <translation>Most improved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="65" />
            <source>整改类</source>
            <translation>To rectify</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="66" />
            <source>治理类</source>
            <translation>Most requests</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="70" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="77" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="287" />
            <source>街乡镇</source>
            <translation>Township</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="71" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="284" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="315" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="572" />
            <source>区</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="72" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="291" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="318" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="571" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="73" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="79" />
            <source>市级部门</source>
            <translation>Municipal departments</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="74" />
            <source>公共服务企业</source>
            <translation>Utilities</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="78" />
            <source>各区</source>
            <translation>Districts</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="80" />
            <source>国有企业/公共服务企业</source>
            <translation>State enterprises / utilities</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="108" />
            <source>本席数据（中心暂不可达，{0} 起）</source>
            <translation>This seat's data (centre unreachable since {0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="109" />
            <source>中心 {0} 暂不可达：{1}
显示的是本席保存的数据，可能不完整。每 {2} 秒或同步连上中心后重试，恢复后自动切回中心数据。</source>
            <translation>The centre {0} cannot be reached: {1}
Shown is the data this seat holds, which may be incomplete. The centre is tried again every {2} seconds or after a sync that reaches it; its data comes back by itself.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="179" />
            <source>● 已超时 {0}</source>
            <translation>● Overdue {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="180" />
            <source>● 即将到期 {0}</source>
            <translation>● Due soon {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="181" />
            <source>● 时限内 {0}</source>
            <translation>● In time {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="215" />
            <source>超时</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="217" />
            <source>重办{0}</source>
            <translation>Re-handled {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="219" />
            <source>不满意</source>
            <translation>Dissatisfied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="223" />
            <source>质检{0:g}</source>
            <translation>QA {0:g}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="228" />
            <source>全部工单</source>
            <translation>All tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="229" />
            <source>在办</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="65" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="230" />
            <source>已超时</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="68" />
            <source>4小时内到期</source>
            <translation>Due within 4 h</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="73" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="231" />
            <source>24小时内到期</source>
            <translation>Due within 24 h</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="78" />
            <source>72小时内到期</source>
            <translation>Due within 72 h</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="192" />
            <source>本席位不能催办</source>
            <translation>This desk cannot chase tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="197" />
            <source>请先选择要催办的工单</source>
            <translation>Select the tickets to chase first</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="200" />
            <source>请填写催办说明</source>
            <translation>Write the chase note</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="207" />
            <source>催办说明过长（最多 {0} 字）</source>
            <translation>The chase note is too long (at most {0} characters)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="228" />
            <source>正在催办 {0} 张工单…</source>
            <translation>Chasing {0} tickets…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="255" />
            <source>已催办 {done} 张（中心已记录 {sent}，待同步送达 {queued}）；未送达 {refused} 张</source>
            <translation>Chased {done} tickets ({sent} recorded at the centre, {queued} awaiting sync); {refused} undelivered</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="267" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="325" />
            <source>{number}：{reason}</source>
            <translation>{number}: {reason}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="293" />
            <source>所选工单没有未送达的催办</source>
            <translation>None of the chosen tickets has an undelivered chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="301" />
            <source>正在重新发送 {0} 张工单…</source>
            <translation>Resending {0} tickets…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="319" />
            <source>已重新发送 {done} 张，待同步送达；未能重新发送 {refused} 张</source>
            <translation>Resent {done} tickets, delivered at the next sync; {refused} could not be resent</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="340" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="342" />
            <source>未送达：{0}</source>
            <translation>Undelivered: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="345" />
            <source>待同步送达</source>
            <translation>Awaiting sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="347" />
            <source>{n} 次，最近 {at}</source>
            <translation>{n}×, last {at}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="351" />
            <source>（待同步）</source>
            <translation> (awaiting sync)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="364" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="390" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="468" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="366" />
            <source>向承办单位催办 {0} 张工单：</source>
            <translation>Chase {0} tickets with their handling units:</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="379" />
            <source>等 {0} 张</source>
            <translation>({0} in all)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="385" />
            <source>催办说明（必填）</source>
            <translation>Chase note (required)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="392" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="449" />
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="404" />
            <source>说明中的「{0}」在每张工单上换成该工单的办理时限</source>
            <translation>"{0}" in the note becomes each ticket's own due time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="435" />
            <source>{n} 张工单在 {hours} 小时内已催办过（如 {number}，{at}）。仍要再次催办吗？</source>
            <translation>{n} tickets were chased within the last {hours} hours (e.g. {number}, {at}). Chase them again?</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="441" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="446" />
            <source>再次催办</source>
            <translation>Chase again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="490" />
            <source>承办单位（全部）</source>
            <translation>Handling unit (all)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="491" />
            <source>选中同单位</source>
            <translation>Select same unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="494" />
            <source>选中已列出的、与所选工单同一承办单位的全部工单</source>
            <translation>Select every listed ticket of the selected tickets' handling units</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="496" />
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="615" />
            <source>催办…</source>
            <translation>Chase…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="499" />
            <source>向所选工单的承办单位催办，附催办说明</source>
            <translation>Chase the handling units of the selected tickets, with a note</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="501" />
            <source>重新发送</source>
            <translation>Resend</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="505" />
            <source>未送达：中心在同步时拒收了本席位发出的催办。重新发送所选工单的未送达记录，下次同步送达（同 agent-app sync --resend）</source>
            <translation>Undelivered: the centre refused a chase this seat sent when it synced. Resend the chosen tickets' undelivered records; the next sync delivers them (as agent-app sync --resend)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/chase.py" line="613" />
            <source>催办 {0} 张…</source>
            <translation>Chase {0} tickets…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="232" />
            <source>回访不满意</source>
            <translation>Dissatisfied at callback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="233" />
            <source>重办</source>
            <translation>Re-handled</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="38" />
            <source>白班</source>
            <translation>Day shift</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="39" />
            <source>中班</source>
            <translation>Evening shift</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="40" />
            <source>夜班</source>
            <translation>Night shift</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="41" />
            <source>全天</source>
            <translation>Whole day</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="44" />
            <source>描述过短</source>
            <translation>Short description</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="45" />
            <source>话后处理超时</source>
            <translation>Long after-call work</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="46" />
            <source>派单后改分类</source>
            <translation>Category changed after dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="47" />
            <source>显示完整号码</source>
            <translation>Number unmasked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="48" />
            <source>转接未注明原因</source>
            <translation>Transfer without reason</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="50" />
            <source>随机</source>
            <translation>Random</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="53" />
            <source>质检</source>
            <translation>QA</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="66" />
            <source>{0} {1}–次日{2}</source>
            <translation>{0} {1}–{2} next day</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="68" />
            <source>{0} {1}–{2}</source>
            <translation>{0} {1}–{2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="80" />
            <source>未质检</source>
            <translation>Not checked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="82" />
            <source>已退回（{0} 分）</source>
            <translation>Returned ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="84" />
            <source>已质检（{0} 分）</source>
            <translation>Checked ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="85" />
            <source>已质检（{0} 分，不合格）</source>
            <translation>Checked ({0}, failed)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="103" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="260" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="570" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="937" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1189" />
            <source>工单号</source>
            <translation>Ticket no.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="115" />
            <source>抽样原因</source>
            <translation>Why sampled</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="120" />
            <source>质检状态</source>
            <translation>QA status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="136" />
            <source>质检数</source>
            <translation>Checks</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="139" />
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="178" />
            <source>平均分</source>
            <translation>Mean score</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="144" />
            <source>不合格数</source>
            <translation>Failed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="150" />
            <source>退回</source>
            <translation>Returned</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="251" />
            <source>话务员工号，逗号分隔（空：本班全部）</source>
            <translation>Operator ids (empty: all on the shift)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="253" />
            <source>抽样</source>
            <translation>Draw sample</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="270" />
            <source>筛选…</source>
            <translation>Filter…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="379" />
            <source>抽样 {0} 张 / 本班 {1} 张（{2} 名话务员）；本席数据，质检记录在中心</source>
            <translation>{0} sampled of {1} tickets ({2} operators); this seat's data, checks are kept at the centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="388" />
            <source>抽样 {0} 张 / 本班 {1} 张（{2} 名话务员）；已质检 {3}，待质检 {4}</source>
            <translation>{0} sampled of {1} tickets ({2} operators); {3} checked, {4} to check</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="401" />
            <source>正在抽样…</source>
            <translation>Drawing the sample…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="403" />
            <source>本班没有工单</source>
            <translation>No tickets in this shift</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="426" />
            <source>{0} 至 {1}，每{2}平均分（虚线：合格线）</source>
            <translation>{0} to {1}, mean score per {2} (dashed: pass mark)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="430" />
            <source>周</source>
            <translation>week</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="432" />
            <source>日</source>
            <translation>day</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="263" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="110" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="268" />
            <source>受理时间</source>
            <translation>Received</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="273" />
            <source>办理时限</source>
            <translation>Due</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="279" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="105" />
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="131" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="293" />
            <source>话务员</source>
            <translation>Operator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="297" />
            <source>标记</source>
            <translation>Flags</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="321" />
            <source>话务员工号</source>
            <translation>Operator ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="337" />
            <source>更多</source>
            <translation>More</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="416" />
            <source>显示 {0} / 共 {1}</source>
            <translation>Showing {0} of {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="422" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="426" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1043" />
            <source>正在读取…</source>
            <translation>Reading…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="440" />
            <source>排名</source>
            <translation>Rank</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="444" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="493" />
            <source>名称</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="452" />
            <source>响应率（按时签收/派单）</source>
            <translation>Response (signed in time/dispatches)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="458" />
            <source>解决率（已解决/回访）</source>
            <translation>Resolution (resolved/callbacks)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="464" />
            <source>满意率（满意/回访）</source>
            <translation>Satisfaction (satisfied/callbacks)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="483" />
            <source>类别</source>
            <translation>Class</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="489" />
            <source>位次</source>
            <translation>Position</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="495" />
            <source>本月得分</source>
            <translation>Score this month</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="500" />
            <source>上月得分</source>
            <translation>Last month</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="505" />
            <source>环比</source>
            <translation>Change</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="510" />
            <source>上月类别</source>
            <translation>Last month's class</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="515" />
            <source>诉求量</source>
            <translation>Requests</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="524" />
            <source>序号</source>
            <translation>No.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="526" />
            <source>诉求分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="531" />
            <source>本月件数</source>
            <translation>This month</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="536" />
            <source>基线中位数</source>
            <translation>Baseline median</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="541" />
            <source>增幅</source>
            <translation>Growth</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="546" />
            <source>热点街乡</source>
            <translation>Hot townships</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="551" />
            <source>重复诉求</source>
            <translation>Repeats</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="556" />
            <source>往年选题</source>
            <translation>Past topic</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="561" />
            <source>样例工单</source>
            <translation>Sample tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="574" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="619" />
            <source>月份</source>
            <translation>Month</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="621" />
            <source>或时段</source>
            <translation>or period</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="625" />
            <source>按</source>
            <translation>by</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="637" />
            <source>筛选名称…（双击数字列出其工单）</source>
            <translation>Filter names… (double-click a figure for its tickets)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="700" />
            <source>三率</source>
            <translation>Three rates</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="701" />
            <source>四类排名</source>
            <translation>Four-class ranking</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="702" />
            <source>趋势</source>
            <translation>Trend</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="703" />
            <source>热点与每月一题</source>
            <translation>Hotspots and topic of the month</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="707" />
            <source>导出本时段：</source>
            <translation>Export this period:</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="791" />
            <source>导出</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="823" />
            <source>{0}，上月 {1}：</source>
            <translation>{0}, previous month {1}:</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="853" />
            <source>得分 {0}；响应率 {1}；解决率 {2}；满意率 {3}</source>
            <translation>Score {0}; response {1}; resolution {2}; satisfaction {3}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="871" />
            <source>{0}：{1} 张（双击在右侧查看）</source>
            <translation>{0}: {1} tickets (double-click to show on the right)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="875" />
            <source>双击表中的数字，列出其背后的工单</source>
            <translation>Double-click a figure in the table to list the tickets behind it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="885" />
            <source>{0} 每月一题候选：按超出本类近 {1} 个月中位数的件数排序；热点街乡 {2} 处，重复诉求 {3} 处。双击一行查看样例工单。</source>
            <translation>{0} topic-of-the-month candidates, by tickets above the category's median of the last {1} months; {2} hot townships, {3} repeat places. Double-click a row for a sample ticket.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="907" />
            <source>正在计算…</source>
            <translation>Computing…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="934" />
            <source>编号</source>
            <translation>ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="942" />
            <source>发现时间</source>
            <translation>Detected</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="947" />
            <source>席位</source>
            <translation>Seat</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="950" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="973" />
            <source>字段</source>
            <translation>Fields</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="955" />
            <source>处理</source>
            <translation>Settled</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="957" />
            <source>{0} 已处理（{1}）</source>
            <translation>settled by {0} ({1})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="961" />
            <source>待处理</source>
            <translation>Open</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="978" />
            <source>本席的值</source>
            <translation>Seat's value</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="983" />
            <source>中心的值</source>
            <translation>Centre's value</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="990" />
            <source>保留本席</source>
            <translation>Keep the seat's</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="992" />
            <source>保留中心</source>
            <translation>Keep the centre's</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="997" />
            <source>或输入新值（仅单个字段）</source>
            <translation>or type a new value (one field only)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="999" />
            <source>采用新值</source>
            <translation>Use the new value</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1057" />
            <source>正确</source>
            <translation>Correct</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1058" />
            <source>部分</source>
            <translation>Partly</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1059" />
            <source>错误</source>
            <translation>Wrong</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="325" />
            <location filename="../../agent_app/ui/lead_desk/quality_view.py" line="300" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1079" />
            <source>质检评分</source>
            <translation>Quality check</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1091" />
            <source>{0}（{1} 分）</source>
            <translation>{0} ({1} points)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1102" />
            <source>指向所选行</source>
            <translation>Point at selected line</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1104" />
            <source>把此项指向通话记录中选中的那一行</source>
            <translation>Point this item at the line selected in the call transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1121" />
            <source>备注（退回时写明要改正的内容）</source>
            <translation>Comment (when returning, say what to correct)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1126" />
            <source>保存质检</source>
            <translation>Save check</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1128" />
            <source>退回给话务员</source>
            <translation>Return to operator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1169" />
            <source>合格</source>
            <translation>passed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1171" />
            <source>不合格</source>
            <translation>failed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1174" />
            <source>工单 {0}：{1} 分（合格线 {2}）{3}</source>
            <translation>Ticket {0}: {1} points (pass mark {2}) {3}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1194" />
            <source>退回时间</source>
            <translation>Returned at</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1199" />
            <source>得分</source>
            <translation>Points</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1204" />
            <source>班长备注</source>
            <translation>Lead's comment</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1224" />
            <source>打开工单</source>
            <translation>Open ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1227" />
            <source>已改正，重新提交</source>
            <translation>Corrected, resubmit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1230" />
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1262" />
            <source>班长备注：{0}</source>
            <translation>Lead's comment: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1270" />
            <source>没有退回给你的工单</source>
            <translation>No tickets returned to you</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="221" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="234" />
            <source>保密</source>
            <translation>Confidential</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="185" />
            <source>已超时：办理时限已过的在办工单。点击在超时预警中列出。</source>
            <translation>Overdue: open tickets past their time limit. Click to list them under Overdue.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="190" />
            <source>即将到期：{0} 小时内到期、尚未超时的在办工单。点击在超时预警中列出（{0}小时内到期）。</source>
            <translation>Due soon: open tickets due within {0} h and not yet overdue. Click to list them under Overdue (Due within {0} h).</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="197" />
            <source>时限内：距办理时限还有 {0} 小时以上的在办工单。</source>
            <translation>In time: open tickets with {0} h or more left of their time limit.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="235" />
            <source>质检未通过</source>
            <translation>QA failed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="238" />
            <source>最新在前</source>
            <translation>Newest first</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="239" />
            <source>最早在前</source>
            <translation>Oldest first</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="240" />
            <source>按到期时间</source>
            <translation>By due time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/charts.py" line="76" />
            <location filename="../../agent_app/ui/lead_desk/views.py" line="470" />
            <source>综合得分</source>
            <translation>Score</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/charts.py" line="120" />
            <source>{0} 至 {1}，每月综合得分（30% 响应率 + 35% 解决率 + 35% 满意率）</source>
            <translation>{0} to {1}, monthly score (30% response + 35% resolution + 35% satisfaction)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/charts.py" line="189" />
            <source>街乡镇综合得分：</source>
            <translation>Township score: </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="84" />
            <source>本席数据（不完整）</source>
            <translation>This seat's data (incomplete)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="250" />
            <source>中心数据 {0}</source>
            <translation>Centre data {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="258" />
            <source>接听来电（{0}）</source>
            <translation>Take a call ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="262" />
            <source>班长工作台</source>
            <translation>Lead's desk</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="286" />
            <source>审核队列</source>
            <translation>Queue</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="287" />
            <source>退回工单</source>
            <translation>Returned</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="288" />
            <source>超时预警</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="289" />
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="390" />
            <source>同步冲突</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="290" />
            <source>三率与排名</source>
            <translation>Figures</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="313" />
            <source>正在加载地图…</source>
            <translation>Loading the map…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="324" />
            <source>地图</source>
            <translation>Map</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="388" />
            <source>同步冲突（{0}）</source>
            <translation>Conflicts ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="545" />
            <source>街乡镇按综合得分着色（圆点位于街乡镇的近似位置；无街乡镇边界数据）</source>
            <translation>Townships coloured by score (discs at approximate township points; no township boundaries in the data)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="562" />
            <source>街乡镇三率着色：{0} 处（红低绿高；圆点位于街乡镇的近似位置，产品数据中没有街乡镇边界）</source>
            <translation>Township scores: {0} (red low, green high; discs at approximate township points, no township boundaries in the data)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="627" />
            <location filename="../../agent_app/ui/returned_to_me.py" line="230" />
            <source>本席位没有工单 {0}；请在中心系统查看</source>
            <translation>This seat does not hold ticket {0}; look it up in the centre's system</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/desk.py" line="698" />
            <source>班长工作台 / 接听来电</source>
            <translation>Lead's desk / take a call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/returned_to_me.py" line="36" />
            <source>退回给我</source>
            <translation>Returned to me</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/returned_to_me.py" line="37" />
            <source>退回给我（{0}）</source>
            <translation>Returned to me ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/returned_to_me.py" line="38" />
            <source>班长退回了 {new} 张工单（共 {total} 张待改正），点击查看</source>
            <translation>A shift lead returned {new} ticket(s) ({total} to correct): click to view</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="28" />
            <source>近 4 周（按周）</source>
            <translation>Last 4 weeks (by week)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="29" />
            <source>近 8 周（按周）</source>
            <translation>Last 8 weeks (by week)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="30" />
            <source>近 12 周（按周）</source>
            <translation>Last 12 weeks (by week)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="31" />
            <source>近 14 天（按日）</source>
            <translation>Last 14 days (by day)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="32" />
            <source>近 30 天（按日）</source>
            <translation>Last 30 days (by day)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="147" />
            <source>中心暂不可达，质检评分记录在中心；连接恢复后可查看（{0}）</source>
            <translation>The centre cannot be reached; QA scores are kept there and show once it is back ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/quality_presenter.py" line="190" />
            <source>质检记录在中心；连接中心后可查看评分</source>
            <translation>Checks are kept at the centre; connect to it to see the scores</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/detail.py" line="80" />
            <source>未能从中心读取通话记录，请稍后重新打开</source>
            <translation>The call transcript could not be read from the centre; open the ticket again later</translation>
        </message>
    </context>
    <context>
        <name>LeadDeskView</name>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="680" />
            <source>没有待裁定的异议或延期申请</source>
            <translation>No objections or extension requests to rule on</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="697" />
            <source>正在读取…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="697" />
            <source>请选择一项</source>
            <translation>choose one option</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="698" />
            <source>裁定</source>
            <translation>Ruling</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="704" />
            <source>工单 {0} · {1}
{2} · {3}
单位理由：{4}</source>
            <translation>Ticket {0} · {1}
{2} · {3}
Unit's reason: {4}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="101" />
            <location filename="../../agent_app/ui/main_window.py" line="241" />
            <source>新来电</source>
            <translation>New call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="102" />
            <source>保存工单</source>
            <translation>Save ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="103" />
            <location filename="../../agent_app/ui/main_window.py" line="243" />
            <source>派单</source>
            <translation>Dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="104" />
            <source>直接答复办结</source>
            <translation>Answer and close</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="105" />
            <location filename="../../agent_app/ui/main_window.py" line="245" />
            <source>并单</source>
            <translation>Merge</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="106" />
            <source>不予受理（选择告知途径）</source>
            <translation>Not accepted (choose where to refer)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="107" />
            <source>一键转接 110 / 119 / 120 / 122</source>
            <translation>Quick transfer to 110 / 119 / 120 / 122</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="108" />
            <source>撤销上一次采纳的建议</source>
            <translation>Undo the last accepted suggestion</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="109" />
            <source>显示/隐藏来电号码（记入审计）</source>
            <translation>Show/hide the caller number (audited)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="110" />
            <source>分类搜索（回车选定）</source>
            <translation>Category search (Enter to select)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="111" />
            <location filename="../../agent_app/ui/main_window.py" line="276" />
            <source>搜索知识库</source>
            <translation>Search the knowledge base</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="112" />
            <location filename="../../agent_app/ui/main_window.py" line="278" />
            <source>定位地址</source>
            <translation>Locate address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="113" />
            <location filename="../../agent_app/ui/main_window.py" line="280" />
            <source>开始/停止转写</source>
            <translation>Start/stop transcription</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="116" />
            <source>切换到 知识库 / 地图 / 今日工单 / 工单查询</source>
            <translation>Switch to Knowledge base / Map / Today's tickets / Ticket search</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="118" />
            <source>采纳建议</source>
            <translation>Accept suggestion</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="119" />
            <source>采用草拟的诉求描述（追加在已填内容之后）</source>
            <translation>Accept the drafted description (added after what was typed)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="120" />
            <location filename="../../agent_app/ui/main_window.py" line="318" />
            <location filename="../../agent_app/ui/main_window.py" line="782" />
            <source>快捷键一览</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="173" />
            <source>今日工单</source>
            <translation>Today's tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="183" />
            <source>工单查询</source>
            <translation>Ticket search</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="234" />
            <source>【演示模式·数据不同步】</source>
            <translation>[DEMO MODE · data not synced]</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="235" />
            <source>12345 接诉即办坐席工作台 {0}— 席位 {1}</source>
            <translation>12345 “Handle on Receipt” Workstation {0}— Seat {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="240" />
            <source>主工具栏</source>
            <translation>Main toolbar</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="242" />
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="244" />
            <source>直接答复</source>
            <translation>Answer directly</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="258" />
            <source>转{0}</source>
            <translation>Transfer to {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="266" />
            <source>不予受理</source>
            <translation>Not accepted</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="269" />
            <source>撤销采纳</source>
            <translation>Undo accept</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="272" />
            <source>显示号码</source>
            <translation>Show number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="274" />
            <source>分类搜索</source>
            <translation>Category search</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="307" />
            <source>文件(&amp;F)</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="311" />
            <source>退出</source>
            <translation>Quit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="314" />
            <source>工单(&amp;T)</source>
            <translation>&amp;Ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="317" />
            <source>帮助(&amp;H)</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="321" />
            <location filename="../../agent_app/ui/main_window.py" line="790" />
            <source>关于</source>
            <translation>About</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="327" />
            <source>席位 {0} · 工号 {1}</source>
            <translation>Seat {0} · Operator {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="331" />
            <source>角色：{0}</source>
            <translation>Role: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="333" />
            <source>演示模式：不同步</source>
            <translation>Demo mode: no sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="333" />
            <source>同步：未连接</source>
            <translation>Sync: not connected</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="444" />
            <source>另有 {0} 份较早的草稿，本单结束后依次恢复。</source>
            <translation>{0} older drafts will be restored one by one after this call. </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="446" />
            <source>已恢复 {0} 自动保存的受理草稿，请核对后继续办理。</source>
            <translation>Restored the draft autosaved at {0}; check it and carry on. </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="450" />
            <source>按 Ctrl+N 可先受理新来电（草稿保留，下次启动时再恢复）。</source>
            <translation>Press Ctrl+N to take a new call first (the draft is kept and restored at the next start).</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="456" />
            <source>分类目录或地址库无法加载（{0}），请检查 knowledge_base 目录后重启。</source>
            <translation>The category catalogue or gazetteer cannot be loaded ({0}); check the knowledge_base directory and restart.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="489" />
            <source>已撤销转接记录</source>
            <translation>Transfer record undone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="491" />
            <source>已撤销上一次采纳的建议</source>
            <translation>Last accepted proposal undone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="519" />
            <source>工单 {0} 已保存：按 Ctrl+N 或来电开始下一通</source>
            <translation>Ticket {0} saved: press Ctrl+N or take a call to start the next one</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="521" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="523" />
            <source>尚未开始受理：按 Ctrl+N 新来电</source>
            <translation>No call in progress: press Ctrl+N for a new call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="525" />
            <source>正在加载分类目录和地址库…</source>
            <translation>Loading the category catalogue and gazetteer…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="527" />
            <location filename="../../agent_app/ui/main_window.py" line="538" />
            <location filename="../../agent_app/ui/main_window.py" line="568" />
            <source>；</source>
            <translation>; </translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="544" />
            <source>办理时限：{0} 前办结</source>
            <translation>Time limit: close by {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="548" />
            <source>办理时限：—（{0}，无需承办）</source>
            <translation>Time limit: — ({0}, no handling unit needed)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="553" />
            <source>办理时限：{0}，现在派单则 {1} 前办结</source>
            <translation>Time limit: {0}; dispatched now, close by {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="556" />
            <source>办理时限：—</source>
            <translation>Time limit: —</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="566" />
            <source>无法{0}：{1}</source>
            <translation>“{0}” not possible yet: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="573" />
            <source>正在保存（{0}）…</source>
            <translation>Saving ({0})…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="584" />
            <source>已保存：{0}</source>
            <translation>Saved: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="599" />
            <source>工单 {0}：已转{1}{2}，时间已记录</source>
            <translation>Ticket {0}: transferred to {1} {2}, time recorded</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="604" />
            <source>工单 {0}：不予受理，已告知来电人通过「{1}」途径办理</source>
            <translation>Ticket {0}: not accepted; the caller was referred to “{1}”</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="608" />
            <source>工单 {0}：已并入 {1}</source>
            <translation>Ticket {0}: merged into {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="612" />
            <source>工单 {0}：已派至 {1}</source>
            <translation>Ticket {0}: dispatched to {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="616" />
            <source>工单 {0}：已直接答复办结（知识库条目 {1}）</source>
            <translation>Ticket {0}: answered and closed (knowledge-base article {1})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="619" />
            <source>工单 {0}：{1}</source>
            <translation>Ticket {0}: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="629" />
            <source>知识库不可用</source>
            <translation>Knowledge base unavailable</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="653" />
            <source>通话转写不可用</source>
            <translation>Call transcription unavailable</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/main_window.py" line="791" />
            <source>12345 接诉即办坐席工作台
离线语音转写 · 知识库 · 属地定位 · 离线优先同步</source>
            <translation>12345 “Handle on Receipt” Workstation
Offline speech transcription · Knowledge base · Jurisdiction lookup · Offline-first sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="53" />
            <source>知识反馈</source>
            <translation>KB feedback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="125" />
            <source>分类模型已更新：学习了 {n} 张已办结工单（{k} 个分类），用时 {s:.0f} 秒。</source>
            <translation>Category model updated: learned from {n} closed tickets ({k} categories) in {s:.0f} s.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="129" />
            <source>已办结且有分类的工单只有 {n} 张（至少需要 {m} 张），继续使用当前建议。</source>
            <translation>Only {n} closed tickets have a category (at least {m} are needed); the current suggestions stay in use.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="132" />
            <source>分类模型未更新：另一次训练正在进行。</source>
            <translation>Category model not updated: another training run is in progress.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="199" />
            <source>已记录知识库反馈，班长会处理。</source>
            <translation>Knowledge-base feedback recorded; the shift lead will handle it.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="315" />
            <source>同步未启动：{error}</source>
            <translation>Sync not started: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="414" />
            <source>分类模型重新训练失败（{kind}），继续使用当前模型；详见日志。</source>
            <translation>Retraining the category model failed ({kind}); the current model stays in use. See the log.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="489" />
            <source>本机数据库自动备份失败（{error}），请检查磁盘空间；工单不受影响。</source>
            <translation>The automatic backup of this seat's database failed ({error}); check the free disk space. Tickets are not affected.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="621" />
            <source>本席位未设置席位号：请在 settings.ini 的 [options] 中填写 seat（每个席位唯一）后重启；工单先保存在本机。</source>
            <translation>This seat has no seat ID: set seat under [options] in settings.ini (unique to each seat) and restart; tickets are kept on this computer meanwhile.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="646" />
            <source>用已办结工单重新训练分类建议</source>
            <translation>Retrain category suggestions from closed tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/wiring.py" line="649" />
            <source>工具(&amp;O)</source>
            <translation>T&amp;ools</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="71" />
            <source>今日工单 ({0})</source>
            <translation>Today's tickets ({0})</translation>
        </message>
    </context>
    <context>
        <name>MapPane</name>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="466" />
            <source>放大</source>
            <translation>Zoom in</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="467" />
            <source>缩小</source>
            <translation>Zoom out</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="468" />
            <source>全市</source>
            <translation>City</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="468" />
            <source>显示全市</source>
            <translation>Show the whole city</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="469" />
            <source>热力</source>
            <translation>Heat</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="469" />
            <source>显示工单热力图（班长）</source>
            <translation>Show the ticket heat map (shift lead)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="486" />
            <source>坐标：WGS-84（区界由 GCJ-02 转换，仅供示意）</source>
            <translation>Coordinates: WGS-84 (district boundaries converted from GCJ-02, indicative only)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="489" />
            <source>坐标：WGS-84；底图 {host}（{crs}）</source>
            <translation>Coordinates: WGS-84; base map {host} ({crs})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="640" />
            <source>；</source>
            <translation>; </translation>
        </message>
    </context>
    <context>
        <name>ProposalChip</name>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="68" />
            <source>来电号码</source>
            <translation>Caller number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="69" />
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="70" />
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="71" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="72" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="73" />
            <source>知识库</source>
            <translation>Knowledge base</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="91" />
            <source>{month}月{day}日{clock}</source>
            <translation>{month}/{day}{clock}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="204" />
            <source>&lt;b&gt;{0}&lt;/b&gt;：{1}</source>
            <translation>&lt;b&gt;{0}&lt;/b&gt;: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="207" />
            <source>来自：“{words}” {time}</source>
            <translation>From: “{words}” {time}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="214" />
            <source>采用</source>
            <translation>Accept</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="215" />
            <source>填入工单</source>
            <translation>Fill into the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="216" />
            <source>忽略</source>
            <translation>Ignore</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="217" />
            <source>不采用这条建议</source>
            <translation>Reject this suggestion</translation>
        </message>
    </context>
    <context>
        <name>RoleDialog</name>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="21" />
            <source>话务员：接听来电、受理派单</source>
            <translation>Operator: answer calls, take and dispatch tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="22" />
            <source>班长：复核工单、退回改派、回访与三率</source>
            <translation>Shift lead: review tickets, return and reassign, callbacks and the three rates (response, resolution, satisfaction)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="23" />
            <source>培训师：演示模式，脚本来电与评分</source>
            <translation>Trainer: demo mode, scripted calls and scoring</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="28" />
            <source>选择角色</source>
            <translation>Choose role</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/role_dialog.py" line="30" />
            <source>请选择本次登录的角色：</source>
            <translation>Choose your role for this session:</translation>
        </message>
    </context>
    <context>
        <name>Scorecard</name>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1049" />
            <source>分类准确</source>
            <translation>Category right</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1050" />
            <source>地址完整</source>
            <translation>Address complete</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1051" />
            <source>派单单位正确</source>
            <translation>Units right</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1052" />
            <source>诉求描述完整</source>
            <translation>Description complete</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1053" />
            <source>服务用语规范</source>
            <translation>Service phrases</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/lead_desk/views.py" line="1054" />
            <source>个人信息保护</source>
            <translation>Privacy respected</translation>
        </message>
    </context>
    <context>
        <name>SessionReport</name>
        <message>
            <location filename="../../agent_app/ui/training.py" line="863" />
            <source>培训报告 · {0}</source>
            <translation>Training report · {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="868" />
            <source>打印为 PDF…</source>
            <translation>Print to PDF…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="869" />
            <source>导出 JSON…</source>
            <translation>Export JSON…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="870" />
            <source>导出 CSV…</source>
            <translation>Export CSV…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="871" />
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="888" />
            <source>保存培训报告</source>
            <translation>Save the training report</translation>
        </message>
    </context>
    <context>
        <name>SuggestionChips</name>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="21" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="22" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="23" />
            <source>主办</source>
            <translation>Lead</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="44" />
            <source>建议（内容栏回车采纳首选）</source>
            <translation>Suggestions (Enter in Details accepts the top one)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="46" />
            <source>不确定，请选择类别</source>
            <translation>Unsure: choose the category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="50" />
            <source>分类模型对这段内容没有把握，不显示建议：请在分类栏中搜索选择</source>
            <translation>The category model is not sure of this text and proposes nothing: search and choose the category in the category field</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="102" />
            <source>Alt+{0} {1}：{2} {3:.0%}</source>
            <translation>Alt+{0} {1}: {2} {3:.0%}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="115" />
            <source>只显示首选：模型有把握</source>
            <translation>Only the first proposal is shown: the model is sure</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/suggestion_chips.py" line="117" />
            <source>在此置信度下，所列建议含正确类别的实测比例：{0:.0%}（模型未学过的 {1} 条样本）</source>
            <translation>At this confidence the right category was among the proposals shown {0:.0%} of the time (measured on {1} examples the model did not learn from)</translation>
        </message>
    </context>
    <context>
        <name>SyncStatus</name>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="171" />
            <source>点击查看未送达的工单并处理：打开工单、重新发送或重新编号。</source>
            <translation>Click to see the undelivered tickets and act on them: open, resend or renumber.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="187" />
            <source>待同步 {count} 条</source>
            <translation>{count} to sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="193" />
            <source>演示模式：不同步</source>
            <translation>Demo mode: no sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="194" />
            <source>演示和培训数据只留在本机，永不上传到中心库。</source>
            <translation>Demo and training data stay on this computer and are never uploaded to the central database.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="199" />
            <source>同步：未配置中心库</source>
            <translation>Sync: no central database set</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="201" />
            <source>工单保存在本机。请在设置“中心数据库连接”（settings.ini 的 central_url）或环境变量 AGENT_APP_CENTRAL_URL 中填写 postgresql://用户@主机:端口/库。</source>
            <translation>Tickets are saved on this computer. Set “Central database connection” in the settings (central_url in settings.ini) or the AGENT_APP_CENTRAL_URL environment variable to postgresql://user@host:port/database.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="208" />
            <source>同步：无法启动</source>
            <translation>Sync: cannot start</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="213" />
            <source>上次同步 {time}</source>
            <translation>Last sync {time}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="213" />
            <source>尚未同步</source>
            <translation>Not synced yet</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="217" />
            <source>同步中…</source>
            <translation>Syncing…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="219" />
            <source>同步：连接中…</source>
            <translation>Sync: connecting…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="221" />
            <source>同步：在线</source>
            <translation>Sync: online</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="223" />
            <source>同步：离线</source>
            <translation>Sync: offline</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="224" />
            <source>点击立即同步。</source>
            <translation>Click to sync now.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="227" />
            <source>中心库暂时连不上：工单已保存在本机，恢复后自动上传。</source>
            <translation>The central database cannot be reached: tickets are saved on this computer and upload automatically when it is back.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="230" />
            <source>本次有 {n} 处冲突，待班长处理。</source>
            <translation>{n} conflicts in this sync, waiting for the shift lead.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="238" />
            <source>未送达：中心拒收或本机校验未通过，点击“未送达”查看，更正后重新发送（或重新编号）：</source>
            <translation>Undelivered: refused by the centre or invalid at this seat; click “undelivered” to see them, correct and send again (or renumber):</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/sync_status.py" line="168" />
            <source>未送达 {n}</source>
            <translation>{n} undelivered</translation>
        </message>
    </context>
    <context>
        <name>TicketDetail</name>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="81" />
            <source>已超时</source>
            <translation>Overdue</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="82" />
            <source>即将到期</source>
            <translation>Due soon</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="83" />
            <source>时限内</source>
            <translation>On time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="86" />
            <source>本单并入</source>
            <translation>This merged into</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="87" />
            <source>并入本单</source>
            <translation>Merged into this</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="88" />
            <source>关联工单</source>
            <translation>Linked ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="89" />
            <source>同一来电人</source>
            <translation>Same caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="92" />
            <source>受理</source>
            <translation>Taken</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="93" />
            <source>状态变更</source>
            <translation>Status change</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="94" />
            <source>修改</source>
            <translation>Edit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="95" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="680" />
            <source>备注</source>
            <translation>Notes</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="96" />
            <source>显示号码</source>
            <translation>Show number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="97" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="98" />
            <source>承办单位反馈</source>
            <translation>Unit's feedback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="99" />
            <source>告知进展</source>
            <translation>Progress told</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="100" />
            <source>来电补充</source>
            <translation>Caller added info</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="101" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="102" />
            <source>并单来电</source>
            <translation>Merged call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="104" />
            <source>此操作需由中心系统办理，本席位暂不能直接执行</source>
            <translation>This step is done in the centre's system; the seat cannot do it yet</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="106" />
            <source>异议成立</source>
            <translation>Objection upheld</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="107" />
            <source>异议不成立</source>
            <translation>Objection rejected</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="108" />
            <source>批准延期</source>
            <translation>Approve extension</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="109" />
            <source>不批准延期</source>
            <translation>Extension denied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="112" />
            <source>已解决</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="113" />
            <source>未解决</source>
            <translation>Not resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="116" />
            <source>裁定派单异议</source>
            <translation>Rule on objection</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="117" />
            <source>审批延期申请</source>
            <translation>Rule on extension</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="118" />
            <source>回访</source>
            <translation>Follow-up call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="119" />
            <source>重新派单</source>
            <translation>Re-dispatch</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="159" />
            <source>改派至 {0}</source>
            <translation>re-dispatched to {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="163" />
            <source>{0} 个工作日</source>
            <translation>{0} working days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="182" />
            <source>另一来电人反映同一问题：工单 {0}（共 {1} 位来电人）</source>
            <translation>Another caller reported this: ticket {0} ({1} callers in all)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="194" />
            <source>主办：{0}</source>
            <translation>Main unit: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="197" />
            <source>转接 {0}</source>
            <translation>Transferred to {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="200" />
            <source>并入 {0}</source>
            <translation>Merged into {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="207" />
            <source>随原工单 {0} 办结</source>
            <translation>Closed with its original ticket {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="216" />
            <source>中心</source>
            <translation>Centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="217" />
            <source>政务服务部门</source>
            <translation>Government service authority</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="218" />
            <source>系统</source>
            <translation>System</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="240" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="295" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="241" />
            <source>操作人</source>
            <translation>By</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="242" />
            <source>事件</source>
            <translation>Event</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="243" />
            <source>说明</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="292" />
            <source>关系</source>
            <translation>Relation</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="293" />
            <source>工单号</source>
            <translation>Ticket no.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="294" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="667" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="296" />
            <source>内容</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="435" />
            <source>本席位没有这张工单</source>
            <translation>This seat does not hold the ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="522" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="615" />
            <source>无（{0}）</source>
            <translation>None ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="620" />
            <source>{0} 前办结（已结束）</source>
            <translation>Due {0} (finished)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="625" />
            <source>{0} 前办结 · {1}</source>
            <translation>Due {0} · {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="668" />
            <source>受理时间</source>
            <translation>Taken at</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="669" />
            <source>渠道</source>
            <translation>Channel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="670" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="671" />
            <source>诉求类型</source>
            <translation>Request type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="672" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="673" />
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="674" />
            <source>属地</source>
            <translation>Jurisdiction</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="675" />
            <source>紧急程度</source>
            <translation>Urgency</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="215" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="676" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="677" />
            <source>办理时限</source>
            <translation>Time limit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="678" />
            <source>受理结果</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="679" />
            <source>诉求内容</source>
            <translation>Request</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="681" />
            <source>补充信息</source>
            <translation>More details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="682" />
            <source>席位/工号</source>
            <translation>Seat / operator</translation>
        </message>
    </context>
    <context>
        <name>TicketDetailView</name>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="684" />
            <location filename="../../agent_app/ui/ticket_detail.py" line="865" />
            <source>显示号码</source>
            <translation>Show number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="686" />
            <source>显示完整号码（记入审计日志）</source>
            <translation>Show the full number (recorded in the audit log)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="723" />
            <source>办理经过</source>
            <translation>Timeline</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="730" />
            <source>承办单位反馈</source>
            <translation>Unit's feedback</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="738" />
            <source>通话记录</source>
            <translation>Call transcript (saved)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="746" />
            <source>复诉通话记录</source>
            <translation>Repeat calls (transcripts)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="754" />
            <source>相关工单（双击打开）</source>
            <translation>Related tickets (double-click to open)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="759" />
            <source>可执行的操作</source>
            <translation>Next steps</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="838" />
            <source>正在读取工单…</source>
            <translation>Reading the ticket…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="843" />
            <source>工单详情</source>
            <translation>Ticket detail</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="857" />
            <source>工单 {0} · {1}</source>
            <translation>Ticket {0} · {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="865" />
            <source>隐藏号码</source>
            <translation>Hide number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="873" />
            <source>（协办：{0}）</source>
            <translation> (co-units: {0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="889" />
            <source>，并入 {0}</source>
            <translation>, merged into {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="892" />
            <source>；共 {0} 位来电人反映（{1} 通来电并入本单）</source>
            <translation>; {0} callers reported it ({1} calls merged into this ticket)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="916" />
            <source>暂无承办单位反馈</source>
            <translation>No feedback from the unit yet</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="933" />
            <source>告知进展</source>
            <translation>Progress told</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="934" />
            <source>补充</source>
            <translation>Add info</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="935" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="994" />
            <source>（保密）</source>
            <translation> (confidential)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="1007" />
            <source>当前状态下本角色无可执行操作</source>
            <translation>No step for this role in this state</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="1020" />
            <source>转为「{0}」</source>
            <translation>Move to “{0}”</translation>
        </message>
    </context>
    <context>
        <name>TicketDetailWindow</name>
        <message>
            <location filename="../../agent_app/ui/ticket_detail.py" line="1067" />
            <source>工单详情 {0}</source>
            <translation>Ticket detail {0}</translation>
        </message>
    </context>
    <context>
        <name>TicketForm</name>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="91" />
            <location filename="../../agent_app/ui/ticket_form.py" line="598" />
            <source>空闲：Ctrl+N 新来电</source>
            <translation>Idle: Ctrl+N for a new call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="92" />
            <source>来电号码，如 13812345678 或 010-65123456</source>
            <translation>Caller number, e.g. 13812345678 or 010-65123456</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="94" />
            <location filename="../../agent_app/ui/ticket_form.py" line="533" />
            <source>显示号码</source>
            <translation>Show number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="95" />
            <source>显示完整号码（记入审计日志）</source>
            <translation>Show the full number (recorded in the audit log)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="97" />
            <source>其他联系电话（可不填）</source>
            <translation>Other contact number (optional)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="98" />
            <source>来电人姓名（可不填）</source>
            <translation>Caller name (optional)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="99" />
            <source>保密</source>
            <translation>Confidential</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="100" />
            <source>企业诉求</source>
            <translation>Business</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="107" />
            <location filename="../../agent_app/ui/ticket_form.py" line="660" />
            <source>（请选择）</source>
            <translation>(choose)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="118" />
            <source>事发地址：区、街道/乡镇、小区或路名、门牌</source>
            <translation>Location: district, street/township, estate or road, number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="120" />
            <location filename="../../agent_app/ui/ticket_form.py" line="623" />
            <source>属地：—</source>
            <translation>Jurisdiction: —</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="122" />
            <source>诉求内容：时间、地点、事项、诉求</source>
            <translation>Request: when, where, what happened, what the caller wants</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="126" />
            <source>回车：采纳首选的分类和类型建议并跳到下一个待填项；Shift+回车：换行</source>
            <translation>Enter: accept the top category and type suggestions and go to the next empty field; Shift+Enter: new line</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="133" />
            <source>采用草拟描述</source>
            <translation>Accept the drafted description</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="137" />
            <source>备注 / 答复内容（通话转写、知识库答复可插入此处）</source>
            <translation>Notes / answer (insert the transcript or a knowledge-base answer here)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="143" />
            <location filename="../../agent_app/ui/ticket_form.py" line="567" />
            <source>补充信息</source>
            <translation>More details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="149" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="155" />
            <source>电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="160" />
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="163" />
            <source>渠道</source>
            <translation>Channel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="165" />
            <source>其他电话</source>
            <translation>Other phone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="170" />
            <source>诉求</source>
            <translation>Request</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="179" />
            <source>紧急程度</source>
            <translation>Urgency</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="181" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="182" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="183" />
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="191" />
            <source>内容</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="192" />
            <source>备注</source>
            <translation>Notes</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="600" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="602" />
            <source>已办结（只读）：按 Ctrl+N 或来电开始下一通</source>
            <translation>Closed (read-only): press Ctrl+N or take a call to start the next one</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="613" />
            <source>受理中 {0:02d}:{1:02d} · 开始 {2} · 渠道 {3}</source>
            <translation>In call {0:02d}:{1:02d} · started {2} · channel {3}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="539" />
            <source>号码有效</source>
            <translation>Valid number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="533" />
            <source>隐藏号码</source>
            <translation>Hide number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="631" />
            <source>属地不确定：可能是 {0}，请补充</source>
            <translation>Jurisdiction uncertain: possibly {0}; please add details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="633" />
            <source>属地：未能确定，请补充区或街道名称</source>
            <translation>Jurisdiction: not found; add the district or street/township name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="636" />
            <source>（置信度 {0:.0%}）</source>
            <translation> (confidence {0:.0%})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="637" />
            <source>（地图选定）</source>
            <translation> (picked on the map)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="639" />
            <source>属地：{0}{1}{2}</source>
            <translation>Jurisdiction: {0}{1}{2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_form.py" line="567" />
            <source>补充信息（已按诉求内容预填，请核对）</source>
            <translation>More details (pre-filled from the request; please check)</translation>
        </message>
    </context>
    <context>
        <name>TicketSearchTab</name>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="60" />
            <source>不限日期</source>
            <translation>Any date</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="61" />
            <source>今天</source>
            <translation>Today</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="62" />
            <source>近7天</source>
            <translation>Last 7 days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="63" />
            <source>近30天</source>
            <translation>Last 30 days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="64" />
            <source>近90天</source>
            <translation>Last 90 days</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="95" />
            <source>工单号（可输入一部分）</source>
            <translation>Ticket number (or a part)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="96" />
            <source>来电号码（完整号码）</source>
            <translation>Caller's number (whole)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="97" />
            <source>诉求内容关键词</source>
            <translation>Words in the request</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="98" />
            <source>地址、区、街道</source>
            <translation>Address, district, street</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="99" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="100" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="102" />
            <source>全部状态</source>
            <translation>Any status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="108" />
            <source>查询</source>
            <translation>Search</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="111" />
            <source>清空</source>
            <translation>Clear</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="133" />
            <source>在结果中筛选…</source>
            <translation>Filter the results…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="136" />
            <location filename="../../agent_app/ui/ticket_search.py" line="224" />
            <location filename="../../agent_app/ui/ticket_search.py" line="289" />
            <source>输入条件后按回车查询</source>
            <translation>Enter conditions, then press Enter</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="137" />
            <source>加载更多</source>
            <translation>Load more</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="236" />
            <source>正在查询…</source>
            <translation>Searching…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="294" />
            <source>显示前 {0} 条，共 {1} 条</source>
            <translation>First {0} of {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="296" />
            <source>共 {0} 条</source>
            <translation>{0} in all</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/ticket_search.py" line="299" />
            <source>（筛选后 {0} 条）</source>
            <translation> ({0} after filter)</translation>
        </message>
    </context>
    <context>
        <name>TicketTable</name>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="122" />
            <source>工单号</source>
            <translation>Ticket no.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="123" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="124" />
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="125" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="126" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="127" />
            <source>属地</source>
            <translation>Jurisdiction</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="128" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="129" />
            <source>时限</source>
            <translation>Due</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/models/ticket_table.py" line="130" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
    </context>
    <context>
        <name>TileLayer</name>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="128" />
            <source>服务器返回 HTTP {0}</source>
            <translation>server returned HTTP {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="131" />
            <source>连接被拒绝</source>
            <translation>connection refused</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="132" />
            <source>找不到服务器</source>
            <translation>server not found</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="133" />
            <location filename="../../agent_app/ui/map_pane.py" line="134" />
            <source>连接超时</source>
            <translation>connection timed out</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="135" />
            <source>服务器断开了连接</source>
            <translation>server closed the connection</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="136" />
            <source>不支持的协议</source>
            <translation>unsupported protocol</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="137" />
            <source>找不到瓦片</source>
            <translation>tile not found</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="139" />
            <source>网络错误</source>
            <translation>network error</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="277" />
            <source>返回的不是图片</source>
            <translation>the reply is not an image</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/map_pane.py" line="295" />
            <source>底图瓦片无法加载（{reason}）：区界和工单照常显示；请检查设置“地图瓦片地址”和瓦片服务器 {host}。</source>
            <translation>Base-map tiles cannot be loaded ({reason}): district boundaries and tickets are still shown; check “Map tile URL” in the settings and the tile server {host}.</translation>
        </message>
    </context>
    <context>
        <name>TodaysTickets</name>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="72" />
            <source>今日工单 ({0}/{1})</source>
            <translation>Today's tickets ({0}/{1})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="99" />
            <source>筛选：工单号、内容、承办单位、状态…（空格分隔多个词）</source>
            <translation>Filter: ticket no., text, unit, status… (several words: separate with spaces)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="268" />
            <source>正在排序…</source>
            <translation>Sorting…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="270" />
            <source>正在筛选…</source>
            <translation>Filtering…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="272" />
            <source>正在更新…</source>
            <translation>Updating…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="277" />
            <source>显示 {0} 条，共 {1} 条</source>
            <translation>{0} shown of {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/todays_tickets.py" line="279" />
            <source>共 {0} 条</source>
            <translation>{0} in all</translation>
        </message>
    </context>
    <context>
        <name>TrainingPane</name>
        <message>
            <location filename="../../agent_app/ui/training.py" line="567" />
            <source>学员工号</source>
            <translation>Trainee ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="569" />
            <source>例如 px001</source>
            <translation>e.g. px001</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="571" />
            <source>课程</source>
            <translation>Course</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="579" />
            <source>培训记录</source>
            <translation>Training history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="580" />
            <source>开始培训</source>
            <translation>Start training</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="601" />
            <source>项目</source>
            <translation>Item</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="602" />
            <source>应为</source>
            <translation>Expected</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="603" />
            <source>实际</source>
            <translation>Got</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="604" />
            <source>得分</source>
            <translation>Points</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="605" />
            <source>说明</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="623" />
            <source>接听下一通</source>
            <translation>Take the next call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="624" />
            <source>结束培训并查看报告</source>
            <translation>End the session and see the report</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="646" />
            <source>自选场景</source>
            <translation>Chosen scenarios</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="685" />
            <source>请填写学员工号</source>
            <translation>Enter the trainee ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="689" />
            <source>请选择课程或至少一个场景</source>
            <translation>Choose a course or at least one scenario</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="706" />
            <source>学员 {0} · 第 {1}/{2} 通：{3}（{4}）</source>
            <translation>Trainee {0} · call {1}/{2}: {3} ({4})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="714" />
            <source>请像真实来电一样受理：听转写、填工单、派单或办结。</source>
            <translation>Take it like a real call: follow the transcript, fill the ticket, dispatch or close it.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="717" />
            <source>学员 {0} · 已完成 {1}/{2} 通，下一通：{3}</source>
            <translation>Trainee {0} · {1}/{2} calls done, next: {3}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="723" />
            <source>学员 {0} · {1} 通全部完成，请结束培训查看报告</source>
            <translation>Trainee {0} · all {1} calls done: end the session to see the report</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="739" />
            <source>要点：{0}</source>
            <translation>Key point: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="741" />
            <source>{0}：{1} 分（用时 {2}，操作 {3} 次，工单 {4}）</source>
            <translation>{0}: {1} points (time {2}, {3} actions, ticket {4})</translation>
        </message>
    </context>
    <context>
        <name>TranscriptStrip</name>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="291" />
            <source>&lt;b&gt;通话转写&lt;/b&gt;</source>
            <translation>&lt;b&gt;Call transcript&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="292" />
            <location filename="../../agent_app/ui/transcript_strip.py" line="516" />
            <source>未开始</source>
            <translation>Not started</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="305" />
            <source>培训场景：按“开始”回放该场景的通话转写</source>
            <translation>Training scenario: press “Start” to replay its call transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="309" />
            <source>麦克风（音频输入设备），下次按“开始”时生效</source>
            <translation>Microphone (audio input device); takes effect the next time “Start” is pressed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="318" />
            <source>刷新麦克风列表</source>
            <translation>Refresh the microphone list</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="324" />
            <source>开始</source>
            <translation>Start</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="325" />
            <source>开始转写</source>
            <translation>Start transcribing</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="326" />
            <source>暂停</source>
            <translation>Pause</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="329" />
            <source>停止</source>
            <translation>Stop</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="422" />
            <source>回放所选培训场景</source>
            <translation>Replay the selected training scenario</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="457" />
            <source>正在查找麦克风…</source>
            <translation>Looking for microphones…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="464" />
            <location filename="../../agent_app/ui/transcript_strip.py" line="491" />
            <source>无麦克风</source>
            <translation>No microphone</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="468" />
            <source>未找到麦克风（音频输入设备）：请插好耳麦，在系统声音设置中启用输入设备，然后按“↻”刷新。</source>
            <translation>No microphone (audio input device) found: plug in the headset, enable the input device in the system sound settings, then press “↻” to refresh.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="475" />
            <source>（默认）</source>
            <translation> (default)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="495" />
            <source>未安装 PortAudio 音频库，无法使用麦克风：请安装 libportaudio2（Debian/Ubuntu：sudo apt-get install libportaudio2）后重启程序，或改用培训场景/音频文件。</source>
            <translation>The PortAudio audio library is not installed, so the microphone cannot be used: install libportaudio2 (Debian/Ubuntu: sudo apt-get install libportaudio2) and restart the app, or use a training scenario or an audio file instead.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="501" />
            <source>无法列出麦克风（{kind}）：请检查系统声音设置后按“↻”刷新。</source>
            <translation>Cannot list the microphones ({kind}): check the system sound settings, then press “↻” to refresh.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="558" />
            <source>没有可用的音频来源</source>
            <translation>No audio source available</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="569" />
            <location filename="../../agent_app/ui/transcript_strip.py" line="594" />
            <location filename="../../agent_app/ui/transcript_strip.py" line="751" />
            <source>正在转写…</source>
            <translation>Transcribing…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="584" />
            <source>培训场景回放中：{title}</source>
            <translation>Replaying training scenario: {title}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="590" />
            <source>已暂停</source>
            <translation>Paused</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="635" />
            <source>语音识别不可用：{message}</source>
            <translation>Speech recognition unavailable: {message}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="642" />
            <source>正在加载语音模型…</source>
            <translation>Loading the speech model…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="647" />
            <source>语音模型已就绪</source>
            <translation>Speech model ready</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="657" />
            <source>语音识别不可用</source>
            <translation>Speech recognition unavailable</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="658" />
            <source>已停止</source>
            <translation>Stopped</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/transcript_strip.py" line="741" />
            <source>通话转写 — {title}</source>
            <translation>Call transcript — {title}</translation>
        </message>
    </context>
    <context>
        <name>Undelivered</name>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="65" />
            <source>只有因编号冲突或席位号不符被拒收、且中心从未收到过的工单才能重新编号</source>
            <translation>Only a ticket refused for a number clash or a wrong seat ID, and never accepted by the centre, can be renumbered</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="68" />
            <source>本席位没有这张工单（在其他席位受理）</source>
            <translation>This seat does not hold this ticket (taken at another seat)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="69" />
            <source>打开工单的可更正内容，标出被拒收的地方</source>
            <translation>Open the ticket's correctable fields, with what was refused marked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="70" />
            <source>中心已受理过这张工单，不能在这里更正它的内容：请联系班长在中心处理</source>
            <translation>The centre has accepted this ticket before, so its content cannot be corrected here: ask your shift lead to correct it at the centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="73" />
            <source>拒收原因与工单内容无关，无需更正：请按原因重新发送或重新编号</source>
            <translation>The refusal is not about the ticket's content, so there is nothing to correct: resend or renumber as the reason says</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="171" />
            <source>正在处理…</source>
            <translation>Working…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="173" />
            <source>已重新排队，等待同步</source>
            <translation>Queued again, waiting for sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="175" />
            <source>已更正，待发送</source>
            <translation>Corrected, waiting to be sent</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="177" />
            <source>已重新编号为 {number}，等待同步</source>
            <translation>Renumbered {number}, waiting for sync</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="181" />
            <source>已送达中心</source>
            <translation>Delivered to the centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="183" />
            <source>仍被中心拒收：{reason}</source>
            <translation>Refused again by the centre: {reason}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="188" />
            <source>未发送：{reason}。请点“更正”改正后保存</source>
            <translation>Not sent: {reason}. Press Correct, fix it and save</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="191" />
            <source>未发送：{error}</source>
            <translation>Not sent: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="422" />
            <source>{number}：{n} 项修改等待发送</source>
            <translation>{number}: {n} change(s) waiting to be sent</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="429" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="41" />
            <source>工单编号</source>
            <translation>Ticket number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="434" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="436" />
            <source>拒收时间</source>
            <translation>Refused at</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="441" />
            <source>原因</source>
            <translation>Reason</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="447" />
            <source>处理结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="451" />
            <source>操作</source>
            <translation>Actions</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="509" />
            <source>打开工单</source>
            <translation>Open ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="511" />
            <source>更正</source>
            <translation>Correct</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="513" />
            <source>重新发送</source>
            <translation>Resend</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="516" />
            <source>更正后，以工单当前的内容重新发送给中心</source>
            <translation>After correcting it, send the ticket as it is now to the centre again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="518" />
            <source>重新编号</source>
            <translation>Renumber</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="548" />
            <source>给这张工单一个本席位的新编号，再重新发送</source>
            <translation>Give this ticket a new number of this seat, then send it again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="567" />
            <source>未送达中心的工单</source>
            <translation>Tickets not delivered to the centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="601" />
            <source>没有未送达的工单：所有修改都已送达中心，或正在排队等待同步。</source>
            <translation>Nothing undelivered: every change has reached the centre or is queued for the next sync.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="619" />
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="672" />
            <source>正在读取…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="676" />
            <source>已全部处理；同步后会显示是否送达。</source>
            <translation>All handled; the next sync shows whether they arrived.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered.py" line="678" />
            <source>{n} 张工单的修改未送达中心，承办单位收不到。因内容被拒收的点“更正”，改正后保存；其他的核对后点“重新发送”；编号冲突的点“重新编号”。处理结果在下次同步后更新。</source>
            <translation>Changes of {n} ticket(s) did not reach the centre, so no handling unit sees them. For a refusal about the content press Correct, fix it and save; check the others and press Resend; for a number clash press Renumber. The results update after the next sync.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="29" />
            <source>工单</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="30" />
            <source>告知进展</source>
            <translation>Progress told</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="31" />
            <source>来电补充</source>
            <translation>Caller added info</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="32" />
            <source>催办</source>
            <translation>Chase</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="33" />
            <source>重复来电</source>
            <translation>Repeat call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="34" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="86" />
            <source>通话记录</source>
            <translation>Transcript</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="39" />
            <source>工单标识</source>
            <translation>Ticket ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="40" />
            <source>席位号</source>
            <translation>Seat ID</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="42" />
            <source>受理工号</source>
            <translation>Operator login</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="43" />
            <source>受理时间</source>
            <translation>Taken at</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="44" />
            <source>修改时间</source>
            <translation>Changed at</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="45" />
            <source>来电渠道</source>
            <translation>Channel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="46" />
            <source>来电人</source>
            <translation>Caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="47" />
            <source>来电人姓名</source>
            <translation>Caller's name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="48" />
            <source>来电号码</source>
            <translation>Caller number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="49" />
            <source>保密来电</source>
            <translation>Confidential caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="50" />
            <source>来电单位</source>
            <translation>Company caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="51" />
            <source>诉求类型</source>
            <translation>Request type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="52" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="53" />
            <source>诉求分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="54" />
            <source>事发地点</source>
            <translation>Place</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="55" />
            <source>事发地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="56" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="57" />
            <source>所在区</source>
            <translation>District</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="58" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="59" />
            <source>街道乡镇</source>
            <translation>Street/township</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="60" />
            <source>社区</source>
            <translation>Community</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="61" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="62" />
            <source>地图位置</source>
            <translation>Map position</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="63" />
            <source>定位可信度</source>
            <translation>Location confidence</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="64" />
            <source>紧急程度</source>
            <translation>Urgency</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="65" />
            <source>主办单位</source>
            <translation>Lead unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="66" />
            <source>协办单位</source>
            <translation>Co-handling units</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="67" />
            <source>办理时限</source>
            <translation>Time limit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="68" />
            <source>诉求内容</source>
            <translation>Description</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="69" />
            <source>备注</source>
            <translation>Notes</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="70" />
            <source>处理方式</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="71" />
            <source>处理说明</source>
            <translation>Outcome details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="72" />
            <source>知识库条目</source>
            <translation>Knowledge-base article</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="73" />
            <source>并入的工单</source>
            <translation>Merged into</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="74" />
            <source>补充信息</source>
            <translation>More details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="75" />
            <source>工单状态</source>
            <translation>Ticket status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="76" />
            <source>演示标记</source>
            <translation>Demo flag</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="77" />
            <source>办理记录</source>
            <translation>Ticket history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="78" />
            <source>办理记录的时间</source>
            <translation>History entry's time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="79" />
            <source>办理记录的类型</source>
            <translation>History entry's kind</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="80" />
            <source>办理记录的角色</source>
            <translation>History entry's role</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="81" />
            <source>办理记录的工号</source>
            <translation>History entry's login</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="82" />
            <source>办理记录的原状态</source>
            <translation>History entry's previous status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="83" />
            <source>办理记录的新状态</source>
            <translation>History entry's new status</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="84" />
            <source>办理记录的内容</source>
            <translation>History entry's details</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="85" />
            <source>办理记录的序号</source>
            <translation>History entry's sequence number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="91" />
            <source>“{field}”的格式不对</source>
            <translation>“{field}” has the wrong format</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="92" />
            <source>缺少“{field}”</source>
            <translation>“{field}” is missing</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="93" />
            <source>“{field}”太长，请删减</source>
            <translation>“{field}” is too long; shorten it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="94" />
            <source>“{field}”含有未规范的字符，请重新输入</source>
            <translation>“{field}” has unnormalised characters; type it again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="95" />
            <source>“{field}”含有看不见的控制字符，请重新输入</source>
            <translation>“{field}” has invisible control characters; type it again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="96" />
            <source>“{field}”的取值中心不接受</source>
            <translation>The centre does not accept this “{field}”</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="97" />
            <source>“{field}”不是有效的时间</source>
            <translation>“{field}” is not a valid time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="98" />
            <source>“{field}”晚于中心的当前时间：请检查本机的日期和时钟</source>
            <translation>“{field}” is later than the centre's time: check this computer's date and clock</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="101" />
            <source>“{field}”的条目太多</source>
            <translation>“{field}” has too many entries</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="102" />
            <source>“{field}”是空的</source>
            <translation>“{field}” is empty</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="103" />
            <source>“{field}”内容太多</source>
            <translation>“{field}” holds too much</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="104" />
            <source>“{field}”的时间顺序不对</source>
            <translation>“{field}” is out of time order</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="105" />
            <source>中心已登记的“{field}”不能再修改，请改回原来的值</source>
            <translation>“{field}” is registered at the centre and cannot change; set it back</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="112" />
            <source>工单编号与中心已有的工单重复（编号冲突）：请重新编号</source>
            <translation>The centre already has a ticket with this number (number clash): renumber it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="115" />
            <source>工单编号不属于本席位（编号冲突）：请重新编号</source>
            <translation>The ticket number is not this seat's (number clash): renumber it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="118" />
            <source>工单的席位号与本席位不符（席位号已更改）：请重新编号</source>
            <translation>The ticket's seat ID is not this seat's (the seat ID changed): renumber it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="121" />
            <source>工单的受理工号与登录中心的工号不同：请联系班长或管理员</source>
            <translation>The ticket was taken under another login than the one signed in at the centre: ask your shift lead or the administrator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="124" />
            <source>办理记录的经办工号与登录中心的工号不同：请联系班长或管理员</source>
            <translation>A history entry was made under another login than the one signed in at the centre: ask your shift lead or the administrator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="127" />
            <source>当前登录中心的账号不能新建工单</source>
            <translation>The login signed in at the centre may not create tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="128" />
            <source>当前登录中心的账号不能修改这张工单</source>
            <translation>The login signed in at the centre may not change this ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="131" />
            <source>工单状态变了，却没有对应的办理记录</source>
            <translation>The status changed without a matching history entry</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="134" />
            <source>这张工单更早的一次修改被中心拒收，本次修改随之退回</source>
            <translation>An earlier change of this ticket was refused by the centre, so this one was returned with it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="137" />
            <source>工单标识与待发送的内容不一致</source>
            <translation>The ticket ID does not match the change to send</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="138" />
            <source>本机待发送的内容已损坏：重新发送会以工单当前的内容代替</source>
            <translation>The change stored at this seat is damaged: resending replaces it with the ticket as it is now</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="141" />
            <source>本机待发送的内容类型未知</source>
            <translation>The change stored at this seat is of an unknown kind</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="142" />
            <source>中心还没有这张工单：工单送达后再重新发送通话记录</source>
            <translation>The centre does not have this ticket yet: resend the transcript once the ticket has arrived</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="145" />
            <source>这张工单不是本席位、本工号受理的</source>
            <translation>This ticket was not taken by this seat and login</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="146" />
            <source>中心没有本工号的这次来电记录</source>
            <translation>The centre has no record of this call by this login</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="147" />
            <source>工单已办结，没有承办单位在办理</source>
            <translation>The ticket is closed; no unit works on it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="148" />
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="149" />
            <source>中心拒收，未说明原因</source>
            <translation>Refused by the centre, no reason given</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="154" />
            <source>话务员</source>
            <translation>Operator</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="155" />
            <source>班长</source>
            <translation>Shift lead</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="156" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="157" />
            <source>中心</source>
            <translation>Centre</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="160" />
            <source>办理记录的角色“{role}”不是登录中心的账号可用的角色</source>
            <translation>The history entry's role “{role}” is not one the centre login may act as</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="163" />
            <source>工单状态不能从“{source}”直接变为“{target}”</source>
            <translation>The status cannot go straight from “{source}” to “{target}”</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="166" />
            <source>中心拒收：{reason}</source>
            <translation>Refused by the centre: {reason}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="172" />
            <source>工单已是“{status}”，没有承办单位在办理</source>
            <translation>The ticket is “{status}”; no unit works on it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="176" />
            <source>中心没有工单 {number}</source>
            <translation>The centre has no ticket {number}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="180" />
            <source>工单已并入 {number}：请在那张工单上记录</source>
            <translation>The ticket was merged into {number}: record it there</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="184" />
            <source>工单还没有承办单位，{kind}送不到单位</source>
            <translation>The ticket has no handling unit yet, so the {kind} cannot reach one</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="188" />
            <source>内容含有看不见的控制字符</source>
            <translation>The text has invisible control characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="192" />
            <source>内容含有未规范的字符</source>
            <translation>The text has unnormalised characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="196" />
            <source>{kind}需要填写内容</source>
            <translation>The {kind} needs a text</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="200" />
            <source>内容太长（最多 {max} 个字）</source>
            <translation>The text is too long (at most {max} characters)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_reasons.py" line="204" />
            <source>中心不认识这种重复来电</source>
            <translation>The centre does not know this kind of repeat call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="61" />
            <source>中心已受理过工单 {number}，这里不能再更正它的内容（只有从未送达中心的工单可以在此更正）。如需修改，请联系班长在中心处理。</source>
            <translation>The centre has accepted ticket {number} before, so its content can no longer be corrected here (only tickets that never reached the centre can be). To change it, ask your shift lead to correct it at the centre.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="66" />
            <source>工单 {number} 已没有未送达的修改，无需更正。</source>
            <translation>Ticket {number} has no undelivered change left; there is nothing to correct.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="70" />
            <source>请从列表中选定一个分类（输入名称、关键词或拼音首字母，回车选定）</source>
            <translation>Pick a category from the list (type a name, a keyword or pinyin initials, then press Enter)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="75" />
            <source>“{field}”太长：最多 {max} 个字，现在 {n} 个字，请删减</source>
            <translation>"{field}" is too long: at most {max} characters, now {n}; please shorten it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="177" />
            <source>本席位没有这张工单</source>
            <translation>This seat does not hold this ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="281" />
            <source>（未选）</source>
            <translation>(none)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="290" />
            <source>多个号码之间用空格或逗号隔开</source>
            <translation>Separate several numbers with spaces or commas</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="338" />
            <source>保存并重新发送</source>
            <translation>Save and send again</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="343" />
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="407" />
            <source>更正工单 {number}</source>
            <translation>Correct ticket {number}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="431" />
            <source>还不能发送：{reason}</source>
            <translation>Cannot be sent yet: {reason}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="438" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="482" />
            <source>正在读取工单…</source>
            <translation>Reading the ticket…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="489" />
            <source>未送达的原因：{reason}</source>
            <translation>Why it was not delivered: {reason}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="496" />
            <source>已更正，待发送：下次同步时以更正后的内容送达中心。</source>
            <translation>Corrected, waiting to be sent: the next sync delivers the corrected ticket to the centre.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/undelivered_fix.py" line="503" />
            <source>请更正标红的内容，再点“保存并重新发送”。保存前会按中心的规则检查；有问题的地方会标出，已输入的内容不会丢失。</source>
            <translation>Correct what is marked in red, then press Save and send again. The fields are checked with the centre's rules before saving; any problem is marked and nothing you typed is lost.</translation>
        </message>
    </context>
    <context>
        <name>Validation</name>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="161" />
            <source>电话号码只能包含数字，如 13812345678 或 010-65123456</source>
            <translation>A phone number contains digits only, e.g. 13812345678 or 010-65123456</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="164" />
            <source>电话号码位数或号段不对，请核对（手机11位，固话带区号）</source>
            <translation>Wrong number of digits or prefix: check the number (mobile 11 digits, landline with area code)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="171" />
            <source>派单需要来电号码，承办单位要联系来电人</source>
            <translation>Dispatching needs the caller number: the handling unit must contact the caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="174" />
            <source>请选择诉求类型（Alt+数字可采纳建议）</source>
            <translation>Choose the request type (Alt+number accepts a suggestion)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="177" />
            <source>请选择诉求分类（输入名称或拼音首字母后回车）</source>
            <translation>Choose the category (type a name or pinyin initials, then Enter)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="180" />
            <source>请填写事发地址</source>
            <translation>Enter the location</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="181" />
            <source>地址未能确定到区，请补充区或街道名称</source>
            <translation>The address does not determine the district: add the district or street/township name</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="185" />
            <source>请确定主办单位</source>
            <translation>Choose the lead unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="188" />
            <source>请记录答复内容（从知识库采纳或写入备注）</source>
            <translation>Record the answer (from the knowledge base or in the notes)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="191" />
            <source>请在来电历史或相关工单中选中要并入的工单</source>
            <translation>Select the ticket to merge into in the caller history or related tickets</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="167" />
            <source>姓名不能超过{max}个字</source>
            <translation>The name can have at most {max} characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="168" />
            <source>地址不能超过{max}个字</source>
            <translation>The address can have at most {max} characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="169" />
            <source>诉求内容不能超过{max}个字</source>
            <translation>The request can have at most {max} characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="170" />
            <source>备注不能超过{max}个字</source>
            <translation>The notes can have at most {max} characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="184" />
            <source>诉求内容至少{min}个字</source>
            <translation>The request needs at least {min} characters</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="186" />
            <source>补充信息「{label}」：必填</source>
            <translation>More details “{label}”: required</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="187" />
            <source>补充信息「{label}」：{what}</source>
            <translation>More details “{label}”: {what}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="197" />
            <source>请填数字</source>
            <translation>enter a number</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="198" />
            <source>数值过小</source>
            <translation>too small</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="199" />
            <source>数值过大</source>
            <translation>too large</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="200" />
            <source>请填日期时间，如 2026-01-05T08:00</source>
            <translation>enter a date and time, e.g. 2026-01-05T08:00</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="203" />
            <source>请选择一项</source>
            <translation>choose one option</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="204" />
            <source>请从选项中选择</source>
            <translation>choose from the options</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="205" />
            <source>请填文字</source>
            <translation>enter text</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/domain_names.py" line="206" />
            <source>请写在一行内</source>
            <translation>keep it on one line</translation>
        </message>
    </context>
    <context>
        <name>Worklists</name>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="87" />
            <source>异议与延期</source>
            <translation>Objections and extensions</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="88" />
            <source>回访</source>
            <translation>Callbacks</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="144" />
            <source>派单异议</source>
            <translation>Dispatch disputed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="146" />
            <source>申请延期</source>
            <translation>Extension requested</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="157" />
            <source>{0} 个工作日：{1}</source>
            <translation>{0} working days: {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="163" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="164" />
            <location filename="../../agent_app/ui/worklists.py" line="191" />
            <source>工单号</source>
            <translation>Ticket no.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="165" />
            <location filename="../../agent_app/ui/worklists.py" line="192" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="167" />
            <source>申请时间</source>
            <translation>Asked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="172" />
            <location filename="../../agent_app/ui/worklists.py" line="199" />
            <source>办理时限</source>
            <translation>Time limit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="177" />
            <source>单位理由</source>
            <translation>Unit's reason</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="183" />
            <source>已反馈</source>
            <translation>Replied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="185" />
            <source>超时未反馈</source>
            <translation>Overdue, no reply</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="190" />
            <source>原因</source>
            <translation>Why</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="194" />
            <source>反馈时间</source>
            <translation>Replied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="205" />
            <source>重办</source>
            <translation>Re-handled</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="210" />
            <source>单位反馈</source>
            <translation>Unit's reply</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="389" />
            <location filename="../../agent_app/ui/worklists.py" line="519" />
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="402" />
            <source>请选择另一个承办单位再改派</source>
            <translation>Choose another unit to re-dispatch to</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="411" />
            <source>请填写异议不成立的理由</source>
            <translation>Say why the objection fails</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="424" />
            <source>请填写不批准延期的理由</source>
            <translation>Say why the extension is denied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="80" />
            <source>号码未显示：审计日志写入失败（{0}）</source>
            <translation>Number not shown: the audit log could not be written ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="506" />
            <source>承办单位尚未反馈，不能记录回访结果</source>
            <translation>The unit has not replied yet; no callback can be recorded</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="574" />
            <source>筛选：工单号、单位、理由…</source>
            <translation>Filter: ticket number, unit, reason…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="588" />
            <source>工单详情</source>
            <translation>Ticket detail</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="640" />
            <source>共 {0} 项</source>
            <translation>{0} items</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="642" />
            <source>显示 {0} 项，共 {1} 项</source>
            <translation>{0} of {1} items</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="830" />
            <source>新到：{0}</source>
            <translation>New: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists.py" line="905" />
            <source>新到的派单异议、延期申请和待回访工单；点击查看</source>
            <translation>New objections, extension requests and callbacks due; click to see them</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="39" />
            <source>非本单位职责</source>
            <translation>Not this unit's duty</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="40" />
            <source>不属本辖区</source>
            <translation>Outside its area</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="41" />
            <source>重复工单</source>
            <translation>Duplicate</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="42" />
            <source>无法办理</source>
            <translation>Not actionable</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="43" />
            <source>其他</source>
            <translation>Other</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="46" />
            <source>已解决</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="47" />
            <source>部分解决</source>
            <translation>Partly resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="48" />
            <source>未解决</source>
            <translation>Not resolved</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="51" />
            <source>满意</source>
            <translation>Satisfied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="52" />
            <source>基本满意</source>
            <translation>Mostly satisfied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_forms.py" line="53" />
            <source>不满意</source>
            <translation>Dissatisfied</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="60" />
            <source>操作未完成（{0}），详见日志</source>
            <translation>Not done ({0}); see the log</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="71" />
            <source>号码未显示：保密来电人的号码只保存在中心，离线时不能显示。请恢复与中心的连接后再点“显示号码”，或稍后再回访</source>
            <translation>Number not shown: a confidential caller's number is kept at the centre only and cannot be shown offline. Reconnect to the centre and press "Show number" again, or call back later</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="77" />
            <source>号码未显示：中心不允许显示这位保密来电人的号码（{0}）</source>
            <translation>Number not shown: the centre does not allow this confidential caller's number to be shown ({0})</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="168" />
            <source>工单 {0}：异议成立，已改派至 {1}，{2} 前办结</source>
            <translation>Ticket {0}: objection upheld, re-dispatched to {1}, due {2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="171" />
            <source>工单 {0}：异议不成立，{1} 继续办理</source>
            <translation>Ticket {0}: objection rejected, {1} keeps it</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="192" />
            <source>工单 {0}：已批准延期，新时限 {1}</source>
            <translation>Ticket {0}: extension approved, now due {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="195" />
            <source>工单 {0}：不批准延期，时限仍为 {1}</source>
            <translation>Ticket {0}: extension denied, still due {1}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="217" />
            <source>工单 {0}：回访已记录，已办结</source>
            <translation>Ticket {0}: callback recorded, closed</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="220" />
            <source>工单 {0}：回访已记录，转二次办理（{1}），{2} 前办结</source>
            <translation>Ticket {0}: callback recorded, reopened for {1}, due {2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/worklists_actions.py" line="238" />
            <source>工单 {0}：已重新派单至 {1}，{2} 前办结</source>
            <translation>Ticket {0}: re-dispatched to {1}, due {2}</translation>
        </message>
    </context>
    <context>
        <name>panes</name>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="113" />
            <source>正在准备知识库索引…</source>
            <translation>Preparing the knowledge-base index…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="186" />
            <source>知识库暂不可用：{error}</source>
            <translation>Knowledge base unavailable: {error}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="187" />
            <source>知识库索引无法建立（{kind}），详见日志；可删除数据目录中的 kb_index.sqlite3 后重启。</source>
            <translation>The knowledge-base index could not be built ({kind}); see the log. Deleting kb_index.sqlite3 in the data directory and restarting may help.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="320" />
            <source>未配置语音识别模型：请在 settings.ini 的 vosk_model 或环境变量 {env} 中填写 Vosk 中文模型目录。</source>
            <translation>No speech model: set vosk_model in settings.ini or {env} to a Chinese Vosk model directory.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="376" />
            <source>演示：按“开始”回放场景</source>
            <translation>Demo: “Start” replays the scenario</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="53" />
            <location filename="../../agent_app/ui/panes.py" line="203" />
            <source>知识库</source>
            <translation>Knowledge base</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="204" />
            <source>未找到知识库内容目录 {path}：请重新安装程序，或用环境变量 AGENT_APP_KB_DIR 指向知识库目录。</source>
            <translation>Knowledge-base content directory {path} not found: reinstall the app, or point the AGENT_APP_KB_DIR environment variable at the knowledge-base directory.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="53" />
            <location filename="../../agent_app/ui/panes.py" line="272" />
            <source>地图</source>
            <translation>Map</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="253" />
            <source>正在加载地图…</source>
            <translation>Loading the map…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="328" />
            <source>语音识别模型目录 {path} 不存在或不是 Vosk 模型（需含 am/、conf/、graph/）：请重新解压模型，或改正设置“语音识别模型目录”/ 环境变量 {env}。</source>
            <translation>Speech model directory {path} does not exist or is not a Vosk model (it needs am/, conf/ and graph/): unpack the model again, or correct “Speech model directory” in the settings or the {env} environment variable.</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/panes.py" line="343" />
            <source>通话转写：正在加载…</source>
            <translation>Call transcript: loading…</translation>
        </message>
    </context>
    <context>
        <name>training</name>
        <message>
            <location filename="../../agent_app/ui/training.py" line="101" />
            <source>处理结果</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="102" />
            <source>诉求类型</source>
            <translation>Request type</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="103" />
            <source>分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="104" />
            <source>属地</source>
            <translation>Jurisdiction</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="105" />
            <source>承办单位</source>
            <translation>Handling unit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="106" />
            <source>时限</source>
            <translation>Due</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="107" />
            <source>保密/企业</source>
            <translation>Confidential/company</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="108" />
            <source>诉求要素</source>
            <translation>Facts</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="112" />
            <source>正确</source>
            <translation>Correct</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="113" />
            <source>通话未完成（已开始新来电）</source>
            <translation>Call left unfinished (a new call was started)</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="114" />
            <location filename="../../agent_app/ui/training.py" line="128" />
            <source>应为「{expected}」，实际为「{got}」</source>
            <translation>Expected "{expected}", was "{got}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="115" />
            <source>紧急情况须立即转{line}（{line_name}），实际为「{got}」</source>
            <translation>An emergency must be transferred to {line} ({line_name}) at once; was "{got}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="118" />
            <source>不属紧急情况，不应转接；应为「{expected}」</source>
            <translation>Not an emergency, no transfer: expected "{expected}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="121" />
            <source>转接线路错误：应转{expected}，实际转{got}</source>
            <translation>Wrong line: should be {expected}, was {got}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="122" />
            <source>告知途径错误：应为「{expected}」，实际为「{got}」</source>
            <translation>Wrong channel named: expected "{expected}", was "{got}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="125" />
            <source>并单对象错误：应并入 {expected}，实际并入 {got}</source>
            <translation>Merged into the wrong ticket: expected {expected}, was {got}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="129" />
            <source>未选诉求类型，应为「{expected}」</source>
            <translation>No request type chosen, expected "{expected}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="130" />
            <source>一、二级正确（{l2}），三级分类不对：部分得分</source>
            <translation>Levels 1 and 2 right ({l2}), wrong leaf: partial credit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="131" />
            <source>仅一级分类正确（{l1}）：部分得分</source>
            <translation>Only level 1 right ({l1}): partial credit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="132" />
            <source>分类不对</source>
            <translation>Wrong category</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="133" />
            <source>未选分类</source>
            <translation>No category chosen</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="134" />
            <source>区不对：应为{expected}，实际为{got}</source>
            <translation>Wrong district: expected {expected}, was {got}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="135" />
            <source>区正确，街乡不对（应为{expected}，实际为{got}）：部分得分</source>
            <translation>Right district, wrong street/township (expected {expected}, was {got}): partial credit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="138" />
            <source>区正确；地址不足以确定街乡，应留空由区政府兜底：部分得分</source>
            <translation>Right district; the address does not give the street/township, leave it to the district government: partial credit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="141" />
            <source>区正确，街乡未定位（应为{expected}）：部分得分</source>
            <translation>Right district, street/township not resolved (expected {expected}): partial credit</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="144" />
            <source>未定位属地，应为{expected}</source>
            <translation>No place resolved, expected {expected}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="145" />
            <source>主办单位应为{expected}，实际为{got}</source>
            <translation>Main unit should be {expected}, was {got}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="146" />
            <source>主办正确；协办缺少：{missing}；多出：{extra}</source>
            <translation>Main unit right; co-units missing: {missing}; not expected: {extra}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="149" />
            <source>主办单位不对（{main}）；协办缺少：{missing}；多出：{extra}</source>
            <translation>Wrong main unit ({main}); co-units missing: {missing}; not expected: {extra}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="152" />
            <source>紧急程度应为「{expected}」，实际为「{got}」</source>
            <translation>Urgency should be "{expected}", was "{got}"</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="153" />
            <source>紧急程度正确，但办理时限 {got} 与规定的 {expected} 不符</source>
            <translation>Right urgency, but the due time {got} is not the {expected} the limit gives</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="156" />
            <source>来电人要求保密，未勾选「保密」</source>
            <translation>The caller asked for confidentiality: "confidential" not ticked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="157" />
            <source>来电人未要求保密，却勾选了「保密」</source>
            <translation>The caller did not ask for confidentiality, yet "confidential" is ticked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="158" />
            <source>来电人代表企业，未勾选「企业诉求人」</source>
            <translation>The caller speaks for a company: "company caller" not ticked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="159" />
            <source>来电人是个人，却勾选了「企业诉求人」</source>
            <translation>The caller is a private person, yet "company caller" is ticked</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="160" />
            <source>描述缺少要素：{missing}</source>
            <translation>The description lacks: {missing}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="163" />
            <source>培训 TRAINING</source>
            <translation>TRAINING 培训</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="165" />
            <source>入门</source>
            <translation>Beginner</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="166" />
            <source>进阶</source>
            <translation>Intermediate</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="167" />
            <source>困难</source>
            <translation>Hard</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="221" />
            <source>保密</source>
            <translation>Confidential</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="223" />
            <source>企业诉求人</source>
            <translation>Company caller</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="224" />
            <location filename="../../agent_app/ui/training.py" line="821" />
            <source>无</source>
            <translation>None</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="233" />
            <source>{0}分{1}秒</source>
            <translation>{0} min {1} s</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="235" />
            <source>{0}秒</source>
            <translation>{0} s</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="372" />
            <source>培训场景无法加载：{0}</source>
            <translation>The training scenarios cannot be loaded: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="414" />
            <source>培训数据无法写入：{0}</source>
            <translation>The training data cannot be written: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="486" />
            <source>培训记录无法保存：{0}</source>
            <translation>The training history cannot be saved: {0}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="776" />
            <source>培训报告</source>
            <translation>Training report</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="777" />
            <source>历次培训</source>
            <translation>Earlier sessions</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="783" />
            <source>开始 {0}，结束 {1}，课程 {2}</source>
            <translation>Started {0}, ended {1}, course {2}</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="786" />
            <location filename="../../agent_app/ui/training.py" line="924" />
            <source>自选场景</source>
            <translation>Chosen scenarios</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="792" />
            <source>共 {0} 通，平均 {1} 分，平均用时 {2}，操作共 {3} 次</source>
            <translation>{0} calls, mean score {1}, mean time {2}, {3} actions in all</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="807" />
            <source>场景</source>
            <translation>Scenario</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="808" />
            <source>难度</source>
            <translation>Level</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="809" />
            <source>工单</source>
            <translation>Ticket</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="810" />
            <source>得分</source>
            <translation>Points</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="811" />
            <source>用时</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="812" />
            <source>操作</source>
            <translation>Actions</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="813" />
            <source>失分项</source>
            <translation>Points lost</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="906" />
            <location filename="../../agent_app/ui/training.py" line="950" />
            <source>培训记录</source>
            <translation>Training history</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="915" />
            <source>日期</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="916" />
            <source>学员</source>
            <translation>Trainee</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="917" />
            <source>课程</source>
            <translation>Course</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="918" />
            <source>通数</source>
            <translation>Calls</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="919" />
            <source>平均分</source>
            <translation>Mean score</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="946" />
            <source>尚无培训记录</source>
            <translation>No training sessions yet</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="982" />
            <source>培训</source>
            <translation>Training</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="1013" />
            <source>培训(&amp;R)</source>
            <translation>T&amp;raining</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="1014" />
            <source>开始培训…</source>
            <translation>Start training…</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="1015" />
            <source>接听下一通培训来电</source>
            <translation>Take the next training call</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="1016" />
            <source>结束培训并查看报告</source>
            <translation>End the session and see the report</translation>
        </message>
        <message>
            <location filename="../../agent_app/ui/training.py" line="1018" />
            <source>培训记录…</source>
            <translation>Training history…</translation>
        </message>
    </context>
</TS>
