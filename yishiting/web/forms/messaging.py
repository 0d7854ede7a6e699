from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.common.forms import Form

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MessageSettingsForm(Form):
    sms = forms.BooleanField(label=_("短信通知"), required=False)
    wechat = forms.BooleanField(label=_("微信通知"), required=False)
    quiet = forms.BooleanField(label=_("夜间免打扰（紧急消息除外）"), required=False)
    quiet_start = forms.TimeField(label=_("免打扰开始"), widget=TIME)
    quiet_end = forms.TimeField(label=_("免打扰结束"), widget=TIME)
    digest = forms.BooleanField(label=_("每日汇总：一天的消息合成一条发送（紧急消息除外）"), required=False)
    digest_at = forms.TimeField(label=_("汇总发送时间"), widget=TIME)

    def __init__(self, *args, wechat_bound: bool, may_digest: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not wechat_bound:
            del self.fields["wechat"]
        if not may_digest:
            del self.fields["digest"], self.fields["digest_at"]
